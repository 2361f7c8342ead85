"""Survey aggregates for the HR dashboard, its JSON endpoints, the API and the CSV export.

One typed result (`results.SurveyDashboard`) is built once by `dashboard.survey_dashboard`
from the data of one survey (`data.SurveyData`, a fixed number of queries) with the
anonymity rule of hr.anonymity applied; `render` turns it into the page's context, JSON and
CSV, and the API's OpenAPI schema is generated from the same types.
"""

from .dashboard import InvalidFilter, example_answer_ids, participation_only, survey_dashboard
from .data import GRAINS, Filters, SurveyData, unit_key
from .figures import (
    SENTIMENT_LABELS,
    choice_figures,
    enps_figures,
    likert_figures,
    sentiment_figures,
)
from .render import as_json, dashboard_csv, template_context
from .results import SurveyDashboard

__all__ = [
    "GRAINS",
    "SENTIMENT_LABELS",
    "Filters",
    "InvalidFilter",
    "SurveyDashboard",
    "SurveyData",
    "as_json",
    "choice_figures",
    "dashboard_csv",
    "enps_figures",
    "example_answer_ids",
    "likert_figures",
    "participation_only",
    "sentiment_figures",
    "survey_dashboard",
    "template_context",
    "unit_key",
]
