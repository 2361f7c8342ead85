"""Privacy API URLs (under /api/v1/privacy/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bias-audit/", views.BiasAuditAPIView.as_view(), name="api-privacy-bias-audit"),
    path(
        "candidates/<int:pk>/erase/",
        views.CandidateEraseView.as_view(),
        name="api-privacy-candidate-erase",
    ),
    path(
        "candidates/<int:pk>/anonymise/",
        views.CandidateAnonymiseView.as_view(),
        name="api-privacy-candidate-anonymise",
    ),
]
