"""Recruiting: jobs, candidates, resumes, applications through the pipeline, fit scores."""
