"""The models as a service (under /api/v1/ml/)."""

from django.urls import path

from . import ml

urlpatterns = [
    path("parse/", ml.ParseView.as_view(), name="api-ml-parse"),
    path("fit/", ml.FitView.as_view(), name="api-ml-fit"),
    path("sentiment/", ml.SentimentView.as_view(), name="api-ml-sentiment"),
]
