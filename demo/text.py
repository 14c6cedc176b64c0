"""Words for the demo district: its vocabularies and what partners say about their
services. All of it is invented; `{who}` and `{city}` are filled in per partner."""

# (slug, name, description for families, requires a contract)
CATEGORIES: tuple[tuple[str, str, str, bool], ...] = (
    (
        "contracted-partner",
        "Contracted community partner",
        "Organizations that run programs or give support to students inside district"
        " schools, during the school day or after it. Each one holds a signed contract"
        " with the district, and this directory lists them only while it is in effect.",
        True,
    ),
    (
        "community-education",
        "Community education partner",
        "Organizations that teach classes and activities through the district's"
        " Community Education program, often in the evening, on weekends or in summer,"
        " and sometimes for the whole family.",
        False,
    ),
    (
        "extended-learning",
        "Extended learning partner",
        "Community organizations that give students extra learning time on behalf of"
        " the district's Extended Learning office, paid for with state funding for"
        " alternative learning programs.",
        False,
    ),
    (
        "mental-health",
        "Mental health partner",
        "Licensed providers who offer counseling and other mental health care to"
        " students. Some keep their address private, to protect the families they"
        " serve.",
        False,
    ),
)

# (code, English name, name in the language itself, how often programs add it to
# English)
LANGUAGES: tuple[tuple[str, str, str, int], ...] = (
    ("en", "English", "English", 0),
    ("es", "Spanish", "Español", 30),
    ("so", "Somali", "Soomaali", 18),
    ("hmn", "Hmong", "Hmoob", 15),
    ("om", "Oromo", "Afaan Oromoo", 10),
    ("vi", "Vietnamese", "Tiếng Việt", 6),
    ("ar", "Arabic", "العربية", 6),
    ("am", "Amharic", "አማርኛ", 5),
    ("kar", "Karen", "ကညီကျိာ်", 5),
    ("fr", "French", "Français", 5),
)

# (slug, name, one-sentence description)
SERVICE_TYPES: tuple[tuple[str, str, str], ...] = (
    (
        "tutoring",
        "Tutoring & homework help",
        "Help with schoolwork from trained tutors, one-on-one or in small groups.",
    ),
    (
        "mentoring",
        "Mentoring",
        "A caring adult or older student who meets a young person regularly.",
    ),
    (
        "mental-health",
        "Mental health",
        "Counseling, therapy and emotional support from licensed providers.",
    ),
    ("arts", "Arts", "Visual art, theater, dance and creative writing."),
    ("music", "Music", "Lessons, ensembles and songwriting."),
    (
        "stem",
        "STEM",
        "Science, technology, engineering and math through hands-on projects.",
    ),
    ("sports", "Sports & recreation", "Teams, clinics and active play."),
    (
        "college-career",
        "College & career",
        "Planning for college, training and first jobs.",
    ),
    (
        "family-support",
        "Family support",
        "Help for parents and caregivers: navigating services, parenting, connection.",
    ),
    ("health", "Health", "Checkups, dental and vision care, and healthy habits."),
    (
        "basic-needs",
        "Basic needs",
        "Food, clothing, school supplies and help with housing.",
    ),
    (
        "youth-leadership",
        "Youth leadership",
        "Leadership, service and civic projects led by young people.",
    ),
    ("literacy", "Reading & writing", "Reading, writing and books to take home."),
    (
        "early-childhood",
        "Early childhood",
        "Learning and play for children up to age 5 and the adults who care for them.",
    ),
    (
        "english-learners",
        "English learners",
        "Help for students and families who are learning English.",
    ),
    (
        "outdoor-environment",
        "Outdoors & environment",
        "Nature, gardening, camping and environmental science.",
    ),
)

# (lowest grade, highest grade, who that is in a sentence, how common)
GRADE_BANDS: tuple[tuple[int, int, str, int], ...] = (
    (0, 5, "elementary students", 30),
    (6, 8, "middle school students", 14),
    (9, 12, "high school students", 16),
    (0, 8, "students in kindergarten through grade 8", 8),
    (6, 12, "middle and high school students", 12),
    (3, 8, "students in grades 3 to 8", 6),
    (0, 12, "students of every age", 10),
)
EARLY_BAND = (-1, 1, "young children and their caregivers")

# Parts of organization names: "Harbor Light Counseling", "Northside Youth Tutoring
# Collective", "Somali Youth Mentoring Network", "Riverton Girls' Chess Club".
IMAGERY = (
    "Harbor Light",
    "Bright Path",
    "North Star",
    "Open Door",
    "Blue Heron",
    "True North",
    "Lantern",
    "Keystone",
    "Common Ground",
    "Sparrow",
    "Evergreen",
    "First Light",
    "Cornerstone",
    "Wildflower",
    "Riverbend",
    "Tall Pines",
    "Good Neighbor",
    "Compass",
    "Bridgeway",
    "Sunrise",
    "Heartwood",
    "Pathfinder",
    "Rising Tide",
    "Stepping Stones",
    "Beacon",
    "Kindred",
    "Two Rivers",
    "Red Oak",
)
AUDIENCES = ("Youth", "Kids", "Teen", "Girls'", "Boys'", "Family", "Student")
ORG_TYPES = (
    "Collective",
    "Network",
    "Center",
    "Project",
    "Alliance",
    "Foundation",
    "Institute",
    "Initiative",
    "Partners",
    "Works",
    "Collaborative",
    "Association",
    "Coalition",
)
# (community, the language code its programs add)
COMMUNITIES = (
    ("Somali", "so"),
    ("Hmong", "hmn"),
    ("Oromo", "om"),
    ("Latino", "es"),
    ("Mexican American", "es"),
    ("Vietnamese", "vi"),
    ("Ethiopian", "am"),
    ("Karen", "kar"),
    ("Arab American", "ar"),
    ("West African", "fr"),
)
CLUBS: dict[str, tuple[str, ...]] = {
    "stem": ("Chess", "Robotics", "Coding", "Rocketry"),
    "arts": ("Drawing", "Theater", "Film", "Photography"),
    "music": ("Drum", "Guitar", "Steel Band", "Fiddle"),
    "sports": ("Soccer", "Running", "Volleyball", "Wrestling", "Cricket"),
    "outdoor-environment": ("Hiking", "Climbing", "Fishing", "Paddling"),
    "literacy": ("Book", "Poetry"),
    "youth-leadership": ("Debate", "Model UN"),
}
KIDS_NAMES: dict[str, tuple[str, ...]] = {
    "outdoor-environment": ("Kids Climb Outdoors", "Kids Paddle the River"),
    "stem": ("Kids Code Together", "Kids Build Things"),
    "arts": ("Kids Paint the Town", "Kids Make Art"),
    "sports": ("Kids Play Ball", "Kids Run Free"),
    "music": ("Kids Sing Out", "Kids Make Music"),
    "literacy": ("Kids Read Together", "Kids Write Now"),
    "health": ("Kids Cook Healthy",),
}
CASAS = ("Casa de Familia", "Casa de la Esperanza", "Centro Luz", "Casa Colibrí")
CASA_ENDINGS = ("Learning Center", "Family Center", "Youth Program")

# Paid programs say what they cost; the rest say "Free".
COSTS = (
    "$25 per session; scholarships available",
    "$40 a month, on a sliding scale",
    "$120 per season; fees waived for families who qualify",
    "$10 per class; no one is turned away for lack of money",
    "$60 per term; payment plans available",
    "$15 a week, snacks included",
)
THERAPY_COSTS = (
    "Billed to the family's health insurance; sliding-scale fee without insurance",
    "Covered by most health plans, including Medical Assistance",
)

CLOSERS = (
    "Families can sign up through their school's front office or by contacting us.",
    "Programs follow the school calendar and pause over winter and spring breaks.",
    "All staff and volunteers pass a background check and are trained every year.",
    "Bus rides home are available from most of our after-school sites.",
    "Every session includes a snack.",
    "Students with disabilities are welcome; we plan any support with the family"
    " and school staff.",
)
PRIVATE_ADDRESS = (
    "To protect families' privacy we do not publish our office address; call or"
    " email to arrange a first visit."
)
CONSENT = (
    "Sessions are confidential, and a parent or guardian signs a consent form before"
    " services begin."
)

# Staff-only text.
APPLIED_REASONS = (
    "Application received; site visit being scheduled.",
    "Waiting on references and proof of insurance.",
    "",
)
# Evaluation training and technical assistance the office gave partners, and who.
SUPPORT = (
    ("evaluation_training", "Logic models and outcome measures"),
    ("technical_assistance", "Uploading attendance data"),
    ("evaluation_training", "The year-end survey"),
    ("technical_assistance", "Renewing background checks"),
)
OFFICE_STAFF = ("Ana Lopez", "Sam Yang", "Hodan Ali", "Pa Vang")
# Why the office approved a partner, for the history the demo district starts with.
APPROVED_REASONS = (
    "Application, insurance certificate and background checks reviewed; approved "
    "at the fall partnership review.",
    "Renewed for the school year after the principal's recommendation.",
    "Approved with its signed contract and data-sharing agreement on file.",
    "Approved after a site visit and the year-end survey.",
)
SUSPENDED_REASONS = (
    "Background checks for two new staff members are overdue.",
    "Paused at the partner's request while the program is redesigned.",
    "A family complaint is under review by the Community Partnerships office.",
    "Insurance certificate lapsed; waiting on a renewed copy.",
    "Last year's attendance data and year-end survey were never submitted.",
)
INACTIVE_REASONS = (
    "Organization closed its Riverton office.",
    "Program ended when its grant ran out.",
    "Merged with another partner organization.",
    "No programs running this school year.",
)
INTERNAL_NOTES = (
    "Insurance certificate requested again in March.",
    "Prefers phone calls; the email address goes to a shared inbox.",
    "New executive director since the fall; update the contact list.",
    "Principal asked about expanding to a second grade level next year.",
    "Attended evaluation training in October.",
    "Year-end survey came in late two years running.",
    "Asked for technical assistance with their data-sharing form.",
    "Site coordinator changes every semester; confirm names before each term.",
)
AGREEMENT_NOTES = (
    "Signed copy in the shared drive.",
    "Renewal reminder goes out 60 days before the end date.",
    "Covers summer programming as well.",
    "Amended in January to add a site.",
    "",
    "",
)
