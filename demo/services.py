"""Each service type in the demo district: how common it is, what comes with it, when
its programs meet, and the words partners use for it in their names, summaries and
descriptions. `{who}` and `{city}` are filled in per partner."""

from typing import NamedTuple


class ServiceProfile(NamedTuple):
    """One service type in the demo district."""

    # how often it is the main service of a contracted, community education and
    # extended learning partner (a mental health partner's is always mental health)
    main_weights: tuple[int, int, int]
    related: tuple[str, ...]  # services a partner often offers alongside this one
    # chance a program meets during school, after school, in summer, on weekends
    timing: tuple[float, float, float, float]
    name_words: tuple[str, ...]  # for names like "Northside Youth {word}"
    summaries: tuple[str, ...]
    openers: tuple[str, ...]


SERVICES: dict[str, ServiceProfile] = {
    "tutoring": ServiceProfile(
        main_weights=(14, 0, 10),
        related=("literacy", "stem", "english-learners", "mentoring"),
        timing=(0.3, 0.8, 0.2, 0.05),
        name_words=("Tutoring", "Homework Help", "Learning", "Learning Lab"),
        summaries=(
            "Tutoring and homework help for {who}, in small groups or one-on-one.",
            "Trained tutors who help {who} catch up and keep up in reading and math.",
        ),
        openers=(
            "We match students with trained tutors who meet them at school, usually"
            " two or three times a week.",
            "Our tutors work alongside classroom teachers, so practice time lines up"
            " with what students are learning in class.",
        ),
    ),
    "mentoring": ServiceProfile(
        main_weights=(12, 0, 0),
        related=("youth-leadership", "college-career", "tutoring", "sports"),
        timing=(0.5, 0.5, 0.1, 0.1),
        name_words=("Mentoring", "Mentors", "Mentorship"),
        summaries=(
            "Caring adult mentors who meet {who} every week.",
            "Mentoring that pairs {who} with someone who has their back.",
        ),
        openers=(
            "Each student is matched with a screened, trained mentor for at least one"
            " school year.",
            "Mentors and students meet weekly to talk, set goals and try new things.",
        ),
    ),
    "mental-health": ServiceProfile(
        main_weights=(0, 0, 0),
        related=("family-support", "health", "mentoring"),
        timing=(0.9, 0.2, 0.3, 0.0),
        name_words=("Counseling", "Wellness", "Family Therapy", "Behavioral Health"),
        summaries=(
            "Licensed therapists who see {who} at school, with family sessions when"
            " they help.",
            "Counseling and emotional support for {who} and their families.",
        ),
        openers=(
            "Our licensed clinicians see students in a private room at school, so they"
            " miss as little class as possible.",
            "We work with students facing stress, anxiety, grief or big changes at"
            " home.",
        ),
    ),
    "arts": ServiceProfile(
        main_weights=(7, 8, 0),
        related=("music", "youth-leadership", "literacy"),
        timing=(0.3, 0.7, 0.3, 0.2),
        name_words=("Arts", "Art Studio", "Theater", "Creative Arts"),
        summaries=(
            "Hands-on art, theater and dance for {who}.",
            "Teaching artists who help {who} make, perform and share their work.",
        ),
        openers=(
            "Working artists lead every session, and all materials are provided.",
            "Students try painting, theater and dance, and end each season by showing"
            " their work to families.",
        ),
    ),
    "music": ServiceProfile(
        main_weights=(5, 6, 0),
        related=("arts", "youth-leadership"),
        timing=(0.3, 0.7, 0.2, 0.2),
        name_words=("Music", "Strings", "Drums", "Sound"),
        summaries=(
            "Music lessons and ensembles for {who}, with instruments to borrow.",
            "A place for {who} to learn an instrument, sing and write songs.",
        ),
        openers=(
            "No experience is needed, and students can borrow an instrument for the"
            " year.",
            "Our teaching musicians lead lessons, ensembles and songwriting sessions.",
        ),
    ),
    "stem": ServiceProfile(
        main_weights=(8, 3, 5),
        related=("tutoring", "college-career", "outdoor-environment"),
        timing=(0.3, 0.7, 0.3, 0.15),
        name_words=("STEM", "Science", "Robotics", "Coding", "Makers"),
        summaries=(
            "Hands-on science, coding and engineering projects for {who}.",
            "Robotics, coding and science challenges that get {who} thinking like"
            " engineers.",
        ),
        openers=(
            "Students build, test and fix real projects, from simple circuits to"
            " competition robots.",
            "Our volunteers include engineers and scientists from local employers.",
        ),
    ),
    "sports": ServiceProfile(
        main_weights=(7, 8, 0),
        related=("health", "mentoring", "outdoor-environment"),
        timing=(0.1, 0.8, 0.3, 0.4),
        name_words=("Sports", "Athletics", "Soccer", "Running"),
        summaries=(
            "Teams, clinics and active play for {who}; no experience needed.",
            "Coaching that helps {who} stay active, build skills and be good"
            " teammates.",
        ),
        openers=(
            "Every player gets time on the field, whatever their skill level.",
            "Our coaches are trained in youth development as well as in their sport.",
        ),
    ),
    "college-career": ServiceProfile(
        main_weights=(7, 0, 5),
        related=("mentoring", "tutoring", "youth-leadership"),
        timing=(0.5, 0.5, 0.3, 0.1),
        name_words=("College Access", "Career Pathways", "Futures", "College Bound"),
        summaries=(
            "College visits, help with applications and paid internships for {who}.",
            "Support for {who} planning their next step after high school.",
        ),
        openers=(
            "Advisers help students and families with college applications, financial"
            " aid forms and scholarships.",
            "Students explore careers through job shadows, internships and visits to"
            " local employers.",
        ),
    ),
    "family-support": ServiceProfile(
        main_weights=(4, 6, 0),
        related=("basic-needs", "english-learners", "health"),
        timing=(0.3, 0.5, 0.1, 0.3),
        name_words=(
            "Family Center",
            "Family Resource Center",
            "Parent Network",
            "Families",
        ),
        summaries=(
            "Classes, guidance and a friendly ear for the parents and caregivers of"
            " {who}.",
            "Family advocates who help households find what they need.",
        ),
        openers=(
            "Family advocates help parents and caregivers connect with school staff,"
            " benefits and community services.",
            "We hold parent classes and family nights where caregivers meet each other"
            " and school staff.",
        ),
    ),
    "health": ServiceProfile(
        main_weights=(5, 3, 0),
        related=("basic-needs", "family-support", "sports"),
        timing=(0.8, 0.1, 0.1, 0.1),
        name_words=("Health", "Community Clinic", "Healthy Kids", "Smiles"),
        summaries=(
            "Dental, vision and health checkups for {who}, right at school.",
            "Health care and healthy-habits classes for {who}.",
        ),
        openers=(
            "Our nurses and dentists visit schools, so students get care without"
            " missing a whole day.",
            "We teach cooking, nutrition and healthy habits in ways that fit every"
            " family's traditions.",
        ),
    ),
    "basic-needs": ServiceProfile(
        main_weights=(5, 0, 0),
        related=("family-support", "health"),
        timing=(0.6, 0.3, 0.3, 0.2),
        name_words=("Food Shelf", "Community Pantry", "Neighbors", "Essentials"),
        summaries=(
            "Food, clothing and school supplies for {who} and their families.",
            "Help with the basics, so {who} can focus on learning.",
        ),
        openers=(
            "We make sure students have food for the weekend, warm clothes and the"
            " supplies they need.",
            "Families can ask for help privately, through the school social worker or"
            " directly from us.",
        ),
    ),
    "youth-leadership": ServiceProfile(
        main_weights=(6, 0, 2),
        related=("mentoring", "arts", "college-career"),
        timing=(0.3, 0.7, 0.3, 0.1),
        name_words=("Youth Leadership", "Youth Voice", "Leaders", "Changemakers"),
        summaries=(
            "Leadership and service projects for {who} who want to make a difference.",
            "A space for {who} to lead, organize and speak up.",
        ),
        openers=(
            "Young people choose the issues they care about and plan projects to take"
            " them on.",
            "Students learn public speaking, organizing and teamwork by doing them.",
        ),
    ),
    "literacy": ServiceProfile(
        main_weights=(8, 3, 8),
        related=("tutoring", "english-learners"),
        timing=(0.5, 0.6, 0.3, 0.1),
        name_words=("Reading", "Readers", "Literacy", "Story Works"),
        summaries=(
            "Reading and writing support for {who}, plus books to keep.",
            "Reading partners and writing workshops that help {who} love books.",
        ),
        openers=(
            "Trained reading partners read one-on-one with students, using books the"
            " students choose.",
            "Every student leaves each season with new books of their own.",
        ),
    ),
    "early-childhood": ServiceProfile(
        main_weights=(3, 6, 0),
        related=("family-support", "literacy", "health"),
        timing=(0.6, 0.1, 0.2, 0.3),
        name_words=(
            "Early Learning",
            "Little Learners",
            "Play and Learn",
            "Growing Minds",
        ),
        summaries=(
            "Play-based learning for young children and their caregivers.",
            "Helping the youngest learners get ready for kindergarten.",
        ),
        openers=(
            "Caregivers and young children learn together through play, songs and"
            " stories.",
            "Our early learning teachers help children build what they need for"
            " kindergarten.",
        ),
    ),
    "english-learners": ServiceProfile(
        main_weights=(5, 6, 5),
        related=("tutoring", "family-support", "literacy"),
        timing=(0.6, 0.5, 0.3, 0.1),
        name_words=(
            "Language Bridge",
            "Newcomers",
            "English Learning",
            "Welcome Center",
        ),
        summaries=(
            "Help for {who} who are learning English, and for their families.",
            "Newcomer support and English practice for {who}.",
        ),
        openers=(
            "Bilingual staff help newcomer students settle in and practice English"
            " every day.",
            "We help families new to the country with enrollment, interpreters and"
            " English classes.",
        ),
    ),
    "outdoor-environment": ServiceProfile(
        main_weights=(4, 4, 0),
        related=("stem", "sports", "youth-leadership"),
        timing=(0.2, 0.5, 0.6, 0.5),
        name_words=("Outdoors", "Nature", "Green Spaces", "Trails"),
        summaries=(
            "Nature, gardening and outdoor adventures for {who}.",
            "Outdoor trips that let {who} explore the river, parks and woods around"
            " {city}.",
        ),
        openers=(
            "Students get outside to hike, paddle, garden and learn about the places"
            " around them.",
            "All gear is provided, and no outdoor experience is needed.",
        ),
    ),
}
