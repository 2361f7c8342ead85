"""Small word lists shared by the rules: job-title head words and organisation suffixes."""

# Head nouns of job titles. A line holding one of these (and short) is a job header; a
# line of capitalised words without them may be a name or an employer.
TITLE_WORDS = frozenset(
    [
        "engineer",
        "engineers",
        "developer",
        "developers",
        "programmer",
        "manager",
        "scientist",
        "analyst",
        "consultant",
        "designer",
        "architect",
        "intern",
        "internship",
        "trainee",
        "lead",
        "director",
        "administrator",
        "admin",
        "specialist",
        "officer",
        "executive",
        "associate",
        "assistant",
        "coordinator",
        "tester",
        "teacher",
        "lecturer",
        "professor",
        "accountant",
        "advocate",
        "lawyer",
        "attorney",
        "counsel",
        "head",
        "president",
        "vp",
        "founder",
        "co-founder",
        "owner",
        "supervisor",
        "technician",
        "representative",
        "writer",
        "editor",
        "researcher",
        "fellow",
        "partner",
        "principal",
        "dba",
        "devops",
        "sde",
        "swe",
        "cto",
        "ceo",
        "cfo",
        "coo",
        "cio",
        "recruiter",
        "clerk",
        "auditor",
        "nurse",
        "physician",
        "doctor",
        "trainer",
        "instructor",
        "tutor",
        "operator",
        "agent",
        "advisor",
        "adviser",
        "strategist",
        "planner",
        "controller",
        "marketer",
        "salesman",
        "salesperson",
        "buyer",
        "chemist",
        "mechanic",
        "electrician",
        "draftsman",
        "draughtsman",
        "surveyor",
        "inspector",
        "foreman",
        "superintendent",
    ]
)

# Suffixes that belong to the company name before them ("ABC Company, Inc.").
ORG_SUFFIXES = frozenset(
    [
        "inc",
        "inc.",
        "llc",
        "l.l.c.",
        "ltd",
        "ltd.",
        "limited",
        "corp",
        "corp.",
        "corporation",
        "co",
        "co.",
        "gmbh",
        "ag",
        "plc",
        "sa",
        "s.a.",
        "bv",
        "b.v.",
        "pvt",
        "pvt.",
        "llp",
    ]
)

# Words that make a phrase an organisation's name rather than a job ("Bank", "Hospital").
ORG_WORDS = frozenset(
    """
    school schools university universities college colleges institute institution academy
    bank hospital hospitals clinic clinics group systems solutions technologies technology
    services software consulting consultants corporation company companies department office
    offices agency center centre club foundation association council ministry government
    church society trust partners labs laboratories laboratory industries enterprises
    holdings studio studios network networks media motors restaurant restaurants hotel hotels
    store stores shop firm bureau authority county district army navy marines corps force
    station ventures capital insurance airlines airways energy pharmaceuticals pharma
    healthcare communications telecom electronics international global worldwide associates
    law library museum theatre theater magazine newspaper press publishing radio television
    tv camp hall court courts commission committee board federation union organization
    organisation charity foods mart market markets brothers cafe bakery salon spa gym
    fitness farm farms factory mills plant manufacturing logistics transport construction
    builders realty properties agencies partnership llp inc llc ltd limited gmbh plc corp
    co pvt
    """.split()  # noqa: SIM905
)
