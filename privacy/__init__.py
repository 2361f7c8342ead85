"""Responsible hiring and data protection: self-identification, bias audit, candidate rights."""
