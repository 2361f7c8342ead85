"""Candidate–job fit: a fine-tuned MiniLM bi-encoder with calibrated 0–100 scores."""

from .model import FitModel, FitResult, get_fit_model

__all__ = ["FitModel", "FitResult", "get_fit_model"]
