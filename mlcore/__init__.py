"""Framework-free ML for SmartHR: resume parsing, fit and sentiment models, explanations.

Nothing in this package imports Django: the app, the REST API, Celery tasks, benchmarks and
the `python -m mlcore` command line all call the same functions.
"""
