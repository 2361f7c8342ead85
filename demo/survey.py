"""A closed demo survey with 40 responses, so the HR dashboard has something to show.

The comments and the extra staff are fictional, written for SmartHR's demo. The demo company
is topped up to 46 active employees (HEADCOUNT), every one of them is invited, and 40 answer:
the dashboard's response rate (87%) is computed from those invitations like any survey's.
Responses are written directly, spread over the departments so that both suppression rules
show: one group is too small, and a sibling is hidden with it.
"""

from __future__ import annotations

import itertools
import random
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from hr.models import (
    Answer,
    Department,
    Employee,
    Invitation,
    Question,
    Response,
    Survey,
    TenureBand,
)
from hr.permissions import ensure_hr_admin
from hr.services.surveys import (
    question_add,
    survey_close,
    survey_create,
    survey_open,
    token_hash,
)

if TYPE_CHECKING:
    from core.roles import AnyUser

DEMO_TITLE = "Engagement pulse (demo)"

QUESTIONS: list[tuple[str, str, list[str], bool]] = [
    (Question.Kind.ENPS, "How likely are you to recommend working here to a friend?", [], True),
    (Question.Kind.LIKERT, "I have the tools and resources I need to do my job well.", [], True),
    (Question.Kind.LIKERT, "My manager gives me useful, regular feedback.", [], True),
    (Question.Kind.LIKERT, "I can see myself still working here in two years.", [], True),
    (
        Question.Kind.SINGLE_CHOICE,
        "What should we improve first?",
        ["Pay and benefits", "Career growth", "Workload", "Communication", "Tools"],
        True,
    ),
    (Question.Kind.FREE_TEXT, "What is going well, and what should change?", [], False),
]

# (tone, comment); "" is a respondent who skipped the optional comment.
COMMENTS: list[tuple[str, str]] = [
    ("pos", "My team is supportive and I always get help when I am stuck."),
    ("neg", "Salaries have not kept up with the market and several people have left."),
    ("mix", "Good team, but the pay is below what similar companies offer."),
    ("pos", "I love the flexibility to work from home two days a week."),
    ("neg", "Too many meetings, I barely have time for focused work."),
    ("mix", "The work is interesting, though deadlines are often unrealistic."),
    ("pos", "Onboarding was smooth and my manager checked in with me every week."),
    ("neg", "On-call is exhausting and most of the alerts are noise."),
    ("mix", "Nothing major to report, things are fine overall."),
    ("pos", "Great colleagues, interesting problems, and I am learning a lot."),
    ("neg", "Promotions feel random; nobody could tell me what I need to do to get one."),
    ("mix", "Hybrid work is nice, but communication between offices could be better."),
    ("pos", "The new laptop policy made a real difference, builds are much faster now."),
    ("neg", "Workload has doubled since the reorganisation but headcount has not."),
    ("mix", "I like my manager, but career paths beyond senior are unclear."),
    ("pos", "Leadership has been open about the roadmap, which I really appreciate."),
    ("neg", "Decisions are made in private channels and we hear about them last."),
    ("mix", "Benefits are fine. Some of the internal tooling is outdated."),
    ("pos", "I feel trusted to make decisions about my own work."),
    ("neg", "My manager cancels our one-to-ones more often than not."),
    ("", ""),
    ("pos", "The mentoring programme helped me grow into a senior role."),
    ("neg", "The office is noisy and there are never enough meeting rooms."),
    ("mix", "It is an okay place to work; I would like more feedback on my performance."),
    ("pos", "Our retrospectives actually lead to changes, which is rare."),
    ("neg", "Priorities change every sprint, so nothing ever gets finished."),
    ("mix", "Processes are improving slowly; the new planning meeting helps a bit."),
    ("pos", "Benefits are generous and the health plan is excellent."),
    ("neg", "Support tickets pile up because the team is understaffed."),
    ("mix", "Not much has changed since the last survey."),
    ("pos", "Friendly people and a calm atmosphere, even during releases."),
    ("neg", "The expense tool is painful and reimbursements take weeks."),
    ("", ""),
    ("pos", "I got a fair raise this year and a clear explanation of how it was decided."),
    ("neg", "No training budget has been approved for me in two years."),
    ("mix", "Hiring has picked up, which should ease the workload soon."),
    ("pos", "Product and engineering finally work closely together and it shows."),
    ("mix", "Documentation is patchy, so new joiners rely on asking around."),
    ("pos", "Team lunches and hack days keep morale high."),
    ("mix", "Pay is fair, the workload is high, the people are great."),
]

# How many responses come from each demo department (direct members for Engineering).
DEPARTMENT_SHARES = [
    ("Backend", 9),
    ("Product", 8),
    ("Frontend", 7),
    ("Operations", 6),
    ("Data", 5),
    ("People", 3),  # below the minimum of 5: hidden, and its sibling hidden with it
    ("Engineering", 2),  # direct members: hidden inside Engineering, Data hidden too
]

# Invited (active) employees per department: each above its number of responses, so every
# department's response rate is below 100% and the company's is 40 of 46.
HEADCOUNT = {
    "Backend": 10,
    "Product": 9,
    "Frontend": 8,
    "Operations": 7,
    "Data": 6,
    "People": 4,
    "Engineering": 2,
}

# Fictional names for the staff the demo adds to reach HEADCOUNT.
STAFF_NAMES = [
    "Adaeze Okafor", "Bruno Costa", "Chen Wei", "Dana Whitfield", "Elif Demir", "Farah Nasser",
    "Gustav Lind", "Hiroshi Sato", "Ines Moreau", "Jonas Berg", "Kateryna Bondar", "Liam Walsh",
    "Maya Cohen", "Nikhil Rao", "Olga Petrova", "Pablo Ruiz", "Quinn Taylor", "Rosa Mendes",
    "Samir Haddad", "Tara Nolan", "Ugo Bianchi", "Vera Novak", "Wanjiru Kamau", "Xavier Dubois",
    "Yasmin Aziz", "Zoltan Kiss", "Amara Diallo", "Björn Nilsson", "Carmen Vidal", "Dmitri Volkov",
    "Esme Clarke", "Femi Adeyemi", "Greta Hoffmann", "Hugo Lambert",
]  # fmt: skip

_TONE = {  # (eNPS range, Likert range)
    "pos": ((8, 10), (4, 5)),
    "mix": ((6, 8), (3, 4)),
    "neg": ((2, 6), (1, 3)),
    "": ((5, 9), (2, 5)),
}


@transaction.atomic
def demo_survey_seed(*, by: AnyUser, analyze: bool = True) -> Survey:
    """Create the closed demo survey once (a second call returns it unchanged).

    `analyze` queues sentiment analysis of the comments after commit (with no broker it runs
    in this process and needs the active sentiment model).
    """
    ensure_hr_admin(by)
    existing = Survey.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    survey = survey_create(
        by=by,
        title=DEMO_TITLE,
        description="A short quarterly pulse: five questions and one optional comment.",
        min_group_size=5,
    )
    questions = [
        question_add(by=by, survey=survey, kind=kind, text=text, choices=choices, required=req)
        for kind, text, choices, req in QUESTIONS
    ]
    survey_open(by=by, survey=survey)

    rng = random.Random(2026)  # the same demo every time
    departments = {d.name: d for d in Department.objects.all()}
    _invite_everyone(survey, departments, rng)
    slots = [name for name, n in DEPARTMENT_SHARES for _ in range(n)]
    today = timezone.localdate()
    first_day = today - timedelta(days=45)
    answers: list[Answer] = []
    free_text: list[Any] = []
    for n, (department_name, (tone, comment)) in enumerate(zip(slots, COMMENTS, strict=True)):
        enps_range, likert_range = _TONE[tone]
        response = Response.objects.create(
            survey=survey,
            department=departments.get(department_name),
            tenure_band=rng.choice(TenureBand.values),
            # Spread over four weeks, crossing a month boundary for the trend chart.
            submitted_on=first_day + timedelta(days=(n * 7) % 28),
        )
        for q in questions:
            answer = Answer(response=response, question=q)
            if q.kind == Question.Kind.ENPS:
                answer.number = rng.randint(*enps_range)
            elif q.kind == Question.Kind.LIKERT:
                answer.number = rng.randint(*likert_range)
            elif q.kind == Question.Kind.SINGLE_CHOICE:
                answer.choice = rng.choice(q.choices)
            elif comment:
                answer.text = comment
                free_text.append(answer.pk)
            else:
                continue
            answers.append(answer)
    Answer.objects.bulk_create(answers)
    survey_close(by=by, survey=survey)
    Survey.objects.filter(pk=survey.pk).update(
        opened_at=timezone.now() - timedelta(days=46), closed_at=timezone.now() - timedelta(days=16)
    )
    if analyze and free_text:
        from hr.services.analysis import answers_enqueue_analysis

        transaction.on_commit(lambda: answers_enqueue_analysis(answer_ids=free_text))
    survey.refresh_from_db()
    return survey


def _invite_everyone(
    survey: Survey, departments: dict[str, Department], rng: random.Random
) -> None:
    """Top each demo department up to HEADCOUNT active employees and invite all of them,
    marking as many invitations used as the department has responses (DEPARTMENT_SHARES).

    Invitations are written directly, like the responses: no e-mail goes out and no link
    exists (the token is random and thrown away; only a hash is ever stored).
    """
    taken = set(Employee.objects.values_list("full_name", flat=True))
    spare = (f"Demo colleague {n}" for n in itertools.count(1))  # a company with no staff yet
    names = (n for n in itertools.chain(STAFF_NAMES, spare) if n not in taken)
    answered = dict(DEPARTMENT_SHARES)
    sent = timezone.now() - timedelta(days=46)
    invitations = []
    for dept_name, headcount in HEADCOUNT.items():
        department = departments.get(dept_name)
        if department is None:
            continue
        staff = list(Employee.objects.filter(department=department, status=Employee.Status.ACTIVE))
        while len(staff) < headcount:
            name = next(names)
            staff.append(
                Employee.objects.create(
                    full_name=name,
                    email=f"{name.lower().replace(' ', '.')}@demo.smarthr.example",
                    department=department,
                    title=f"{dept_name} team member",
                    hire_date=timezone.localdate() - timedelta(days=rng.randint(90, 2500)),
                )
            )
        for n, employee in enumerate(staff):
            invitations.append(
                Invitation(
                    survey=survey,
                    employee=employee,
                    token_hash=token_hash(secrets.token_urlsafe(32)),
                    sent_at=sent,
                    queued_at=sent,
                    used=n < answered.get(dept_name, 0),
                )
            )
    Invitation.objects.bulk_create(invitations)
