"""The candidate's voluntary self-identification form: no login, a one-time link."""

from django.urls import path

from .views import self_id

urlpatterns = [
    path("<str:token>/", self_id.self_id_form, name="self_id_form"),
]
