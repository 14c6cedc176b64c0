"""The programs demo partners run, by service type: each name with a sentence on what
happens in it."""

PROGRAMS: dict[str, dict[str, str]] = {
    "tutoring": {
        "Homework Club": (
            "Students bring their homework and work through it with a tutor who"
            " checks every assignment."
        ),
        "One-on-One Tutoring": (
            "Each student meets the same tutor twice a week to work on the skills"
            " their teacher has flagged."
        ),
        "Math Lab": (
            "Small groups practice math with games, puzzles and a tutor who"
            " explains each step."
        ),
        "Study Hall": (
            "A quiet room with tutors on hand, where students finish homework and"
            " prepare for tests."
        ),
    },
    "mentoring": {
        "Mentor Match": (
            "Each student is paired with one adult mentor who meets them at school"
            " every week."
        ),
        "Lunch Buddies": (
            "Mentors join their student for lunch once a week to talk, play a game"
            " and catch up."
        ),
        "Circle of Mentors": (
            "Small groups of students meet two mentors to talk through goals,"
            " friendships and school."
        ),
        "Next Step Mentoring": (
            "Older students meet a mentor who helps them plan for their next school"
            " and beyond."
        ),
    },
    "mental-health": {
        "School-Based Therapy": (
            "A licensed therapist meets each student weekly at school and checks in"
            " with the family regularly."
        ),
        "Family Counseling": (
            "Students and their families meet a therapist together, at school or at"
            " home."
        ),
        "Grief and Loss Group": (
            "Students who have lost someone close meet in a small group led by a"
            " counselor."
        ),
        "Calm Minds Skills Group": (
            "Students meet in a small group to learn ways to handle stress and"
            " strong feelings."
        ),
    },
    "arts": {
        "Studio Art": (
            "Students learn a new technique each week, from drawing to printmaking,"
            " and build a portfolio."
        ),
        "Mural Project": (
            "Students design and paint a mural for their school with a working artist."
        ),
        "Theater Workshop": (
            "The group writes and rehearses a short play and performs it for families."
        ),
        "Dance Studio": (
            "Students learn dances from many traditions and perform at a family"
            " showcase."
        ),
    },
    "music": {
        "Strings Program": (
            "Students learn violin, viola or cello in small sections and play"
            " together as an orchestra."
        ),
        "Drumline": (
            "Students learn rhythms and drumming technique and perform at school"
            " events."
        ),
        "Youth Choir": (
            "Singers of every level rehearse songs in several languages and give"
            " two concerts a year."
        ),
        "Songwriting Lab": (
            "Students write and record their own songs with a teaching musician."
        ),
    },
    "stem": {
        "Robotics Team": (
            "Teams design, build and program a robot and take it to a regional"
            " competition."
        ),
        "Coding Club": (
            "Students learn to code by making games and animations, at their own pace."
        ),
        "Science Explorers": (
            "Each session starts with a question and ends with an experiment that"
            " answers it."
        ),
        "Maker Space": (
            "Students use simple tools, circuits and 3D printers to build projects"
            " of their own design."
        ),
    },
    "sports": {
        "Soccer League": (
            "Players practice twice a week and play friendly games against teams"
            " from other schools."
        ),
        "Run Club": (
            "Runners of every speed train together and finish the season with a"
            " community 5K."
        ),
        "Swim Lessons": (
            "Certified instructors teach water safety and swimming in small groups"
            " at a city pool."
        ),
        "Basketball Skills Clinic": (
            "Coaches teach skills in short drills, and every session ends with a game."
        ),
    },
    "college-career": {
        "College Prep Seminar": (
            "Students meet an adviser each week to work on applications, essays and"
            " financial aid."
        ),
        "Career Pathways Internship": (
            "Students work a paid internship with a local employer and meet a coach"
            " every week."
        ),
        "Financial Aid Nights": (
            "Families get one-on-one help filling out financial aid and scholarship"
            " forms."
        ),
        "Job Shadow Days": (
            "Students spend a day at a local workplace and talk over what they"
            " learned with a coach."
        ),
    },
    "family-support": {
        "Parent Cafe": (
            "Parents and caregivers meet over a meal to talk about topics they"
            " choose, with child care provided."
        ),
        "Family Navigation": (
            "An advocate meets each family to find resources and follows up until"
            " things are sorted out."
        ),
        "Family Nights": (
            "Families share a meal, play games and meet school staff in a relaxed"
            " setting."
        ),
        "Home Visits": (
            "A family educator visits at home to share ideas for supporting learning."
        ),
    },
    "health": {
        "School Dental Days": (
            "A dental team checks and cleans students' teeth at school and sends"
            " families a summary."
        ),
        "Vision Screening and Glasses": (
            "Students get an eye exam at school, and those who need glasses pick"
            " out a pair."
        ),
        "Healthy Eating Workshop": (
            "Students cook a simple recipe together each week and take a copy home."
        ),
        "Sports Physicals": (
            "Students get the physical exam they need to join a school team."
        ),
    },
    "basic-needs": {
        "Weekend Food Packs": (
            "Students take home a bag of food each Friday; families can opt in or"
            " out at any time."
        ),
        "Clothing Closet": (
            "Students and families choose clothing, shoes and coats at no cost,"
            " with no paperwork."
        ),
        "Winter Gear Drive": (
            "Every student who needs them gets a warm coat, hat, mittens and boots"
            " before the cold sets in."
        ),
        "School Supply Store": (
            "Students pick out the school supplies they need at no cost."
        ),
    },
    "youth-leadership": {
        "Youth Council": (
            "The group meets weekly to plan a community project and presents the"
            " results to school leaders."
        ),
        "Peer Leaders": (
            "Older students are trained to lead activities for younger students at"
            " their school."
        ),
        "Service Corps": (
            "Students plan and carry out service projects with neighborhood"
            " organizations."
        ),
        "Student Voice Lab": (
            "Students look into an issue at their school and propose changes to the"
            " principal."
        ),
    },
    "literacy": {
        "Reading Buddies": (
            "A reading partner meets the same student twice a week to read aloud"
            " and practice new words."
        ),
        "Book Club": (
            "Students choose, read and talk about books together, and keep every"
            " book they read."
        ),
        "Writing Workshop": (
            "Students write, revise and share their own stories and poems with the"
            " group."
        ),
        "Early Readers": (
            "Young readers practice letters, sounds and first books with a trained"
            " volunteer."
        ),
    },
    "early-childhood": {
        "Play and Learn": (
            "Children and caregivers spend the session playing, singing and reading"
            " together."
        ),
        "Kindergarten Ready": (
            "Children practice early reading, counting and getting along in a small"
            " group."
        ),
        "Story Time": (
            "A librarian reads picture books aloud, and families borrow books to"
            " take home."
        ),
        "Family Early Learning": (
            "Caregivers learn simple ways to build early skills at home while"
            " children play nearby."
        ),
    },
    "english-learners": {
        "English Conversation Club": (
            "Students practice everyday English through games, conversation and"
            " reading together."
        ),
        "Newcomer Support": (
            "Students who arrived recently get help finding their way around school"
            " and making friends."
        ),
        "Bilingual Homework Help": (
            "Bilingual staff help students with homework in English and in their"
            " home language."
        ),
        "Family English Classes": (
            "Parents and caregivers learn English while their children do homework"
            " in the next room."
        ),
    },
    "outdoor-environment": {
        "Nature Explorers": (
            "Students spend each session outside, exploring a park or the river"
            " with a trained guide."
        ),
        "Canoe Club": (
            "Students learn to paddle safely and take trips on the river with"
            " trained guides."
        ),
        "School Garden": (
            "Students plant, tend and harvest the school garden and take produce home."
        ),
        "Climbing Club": (
            "Students learn to climb safely at an indoor wall, with all gear provided."
        ),
    },
}
