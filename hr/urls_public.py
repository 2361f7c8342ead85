"""The public survey pages, at /s/ (no login: the one-time link is the key)."""

from django.urls import path

from . import views_public

app_name = "survey"

urlpatterns = [
    path("thanks/", views_public.thanks, name="thanks"),
    path("<str:token>/", views_public.answer, name="answer"),
]
