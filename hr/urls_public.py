"""The public survey pages, at /s/ (no login: the one-time link is the key)."""

from django.urls import path

from .views import public

app_name = "survey"

urlpatterns = [
    path("thanks/", public.thanks, name="thanks"),
    path("<str:token>/", public.answer, name="answer"),
]
