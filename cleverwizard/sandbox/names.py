"""Name pools for the sandbox district.

Real rosters are not ASCII and not one-word: accents, apostrophes and hyphens are where
matching and email-building code breaks, so the pools carry them on purpose. The
nickname table lets the demo's hand-made platform accounts use "Bob" for a Clever
"Robert", which is the most common reason an exact name match fails.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FIRST_NAMES: tuple[str, ...] = (
    "Aaliyah",
    "Aarav",
    "Abigail",
    "Adrian",
    "Aiden",
    "Aisha",
    "Alejandro",
    "Alexander",
    "Alice",
    "Amara",
    "Amelia",
    "Ana",
    "Andrew",
    "Angela",
    "Anthony",
    "Arjun",
    "Ava",
    "Benjamin",
    "Brandon",
    "Brianna",
    "Caleb",
    "Camila",
    "Carlos",
    "Carmen",
    "Charlotte",
    "Chen",
    "Chloe",
    "Christopher",
    "Daniel",
    "David",
    "Deshawn",
    "Diego",
    "Dmitri",
    "Elena",
    "Elijah",
    "Emily",
    "Emma",
    "Ethan",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hiroshi",
    "Imani",
    "Isaac",
    "Isabella",
    "Jacob",
    "Jamal",
    "James",
    "Jasmine",
    "Jayden",
    "John",
    "Jordan",
    "Joseph",
    "Joshua",
    "Julia",
    "Kai",
    "Kenji",
    "Layla",
    "Leah",
    "Liam",
    "Lily",
    "Lucas",
    "Luis",
    "Madison",
    "Malik",
    "Maria",
    "Mason",
    "Mateo",
    "Maya",
    "Mei",
    "Mia",
    "Mohammed",
    "Naomi",
    "Natalia",
    "Noah",
    "Nora",
    "Oliver",
    "Olivia",
    "Omar",
    "Priya",
    "Rahul",
    "Rosa",
    "Ryan",
    "Samuel",
    "Santiago",
    "Sara",
    "Sofia",
    "Tariq",
    "Thomas",
    "Tyler",
    "Valentina",
    "Victoria",
    "Wei",
    "Xavier",
    "Yasmin",
    "Yusuf",
    "Zara",
    "Zion",
)

ACCENTED_FIRST_NAMES: tuple[str, ...] = (
    "José",
    "Zoë",
    "Chloé",
    "Renée",
    "André",
    "Inés",
    "Sebastián",
    "Joaquín",
    "Noémie",
    "Björn",
    "Søren",
    "Çelik",
    "Łucja",
    "François",
    "Hélène",
    "Raúl",
    "Máire",
    "Siân",
)

HYPHENATED_FIRST_NAMES: tuple[str, ...] = (
    "Anne-Marie",
    "Jean-Luc",
    "Mary-Kate",
    "Jean-Pierre",
    "Lily-Rose",
    "Marie-Claire",
)

LAST_NAMES: tuple[str, ...] = (
    "Adams",
    "Ahmed",
    "Ali",
    "Allen",
    "Anderson",
    "Baker",
    "Bennett",
    "Brooks",
    "Brown",
    "Campbell",
    "Carter",
    "Chen",
    "Clark",
    "Collins",
    "Cooper",
    "Davis",
    "Diaz",
    "Edwards",
    "Evans",
    "Fischer",
    "Flores",
    "Garcia",
    "Gonzalez",
    "Green",
    "Gupta",
    "Hall",
    "Harris",
    "Hernandez",
    "Hill",
    "Huang",
    "Jackson",
    "Johnson",
    "Jones",
    "Kang",
    "Kelly",
    "Khan",
    "Kim",
    "King",
    "Kowalski",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Miller",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nguyen",
    "Novak",
    "Okafor",
    "Okonkwo",
    "Park",
    "Patel",
    "Perez",
    "Phillips",
    "Ramirez",
    "Reed",
    "Reyes",
    "Rivera",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Rossi",
    "Sanchez",
    "Scott",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Stewart",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thomas",
    "Thompson",
    "Torres",
    "Tran",
    "Turner",
    "Walker",
    "Wang",
    "Washington",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Wu",
    "Yamamoto",
    "Young",
    "Zhang",
)

ACCENTED_LAST_NAMES: tuple[str, ...] = (
    "Núñez",
    "Müller",
    "Peña",
    "Gómez",
    "Jiménez",
    "Łukasiewicz",
    "Dvořák",
    "Søndergaard",
    "Álvarez",
    "Fernández",
    "Schäfer",
    "Begović",
    "Öztürk",
    "Ibáñez",
    "Lefèvre",
)

APOSTROPHE_LAST_NAMES: tuple[str, ...] = (
    "O'Brien",
    "O'Connor",
    "D'Angelo",
    "O'Neill",
    "D'Souza",
    "N'Diaye",
)

HYPHENATED_LAST_NAMES: tuple[str, ...] = (
    "Smith-Jones",
    "Garcia-Lopez",
    "Nguyen-Tran",
    "Brown-Whitfield",
    "Rivera-Ortiz",
    "Patel-Shah",
    "Kim-Park",
    "Martinez-Cruz",
)

MIDDLE_NAMES: tuple[str, ...] = (
    "A.",
    "Grace",
    "James",
    "Lee",
    "Marie",
    "Rose",
    "Michael",
    "Ann",
    "J",
    "Elizabeth",
    "Alexander",
    "Jean",
    "Lynn",
    "Ray",
    "Sofía",
)

NICKNAMES: dict[str, str] = {
    "Robert": "Bob",
    "Katherine": "Kate",
    "William": "Bill",
    "Elizabeth": "Liz",
    "Michael": "Mike",
    "Jennifer": "Jen",
    "Richard": "Rick",
    "Margaret": "Peggy",
    "Christopher": "Chris",
    "Patricia": "Trish",
    "Jonathan": "Jon",
    "Rebecca": "Becky",
    "Thomas": "Tom",
    "Alexandra": "Alex",
    "Daniel": "Dan",
    "Samantha": "Sam",
}
"""Formal first name to the nickname people use on a platform they signed up for themselves."""

TEACHER_TITLES: tuple[str, ...] = (
    "Teacher",
    "Teacher",
    "Teacher",
    "Lead Teacher",
    "Intervention Specialist",
    "Department Chair",
    "Long-Term Substitute",
)

STAFF_TITLES: tuple[tuple[str, str], ...] = (
    ("Counselor", "Student Services"),
    ("Librarian", "Library"),
    ("School Nurse", "Health"),
    ("Assistant Principal", "Administration"),
    ("Instructional Coach", "Curriculum"),
)

PLACES: tuple[str, ...] = (
    "Maple Valley",
    "Cedar Ridge",
    "Riverside",
    "Lakeview",
    "Pine Hollow",
    "Willow Creek",
    "Oak Park",
    "Sunnyvale",
    "Granite Falls",
    "Harbor Point",
    "Eastwood",
    "Brookfield",
    "Silver Lake",
    "Fox Run",
    "Aspen Grove",
    "Clearwater",
)

SCHOOL_NAMESAKES: tuple[str, ...] = (
    "Lincoln",
    "Roosevelt",
    "Sojourner Truth",
    "César Chávez",
    "Rosa Parks",
    "Jefferson",
    "Sally Ride",
    "Maya Angelou",
    "Kennedy",
    "Franklin",
    "Ellen Ochoa",
    "Carver",
    "Sequoyah",
    "Marie Curie",
    "Washington",
    "Hamilton",
)

DISTRICT_SUFFIXES: tuple[str, ...] = ("Unified", "Unified School District", "Public Schools")

PERSONAL_DOMAINS: tuple[str, ...] = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com")


@lru_cache(maxsize=4096)
def ascii_slug(name: str) -> str:
    """Lowercase ASCII form of a name for email local parts: "Núñez" → "nunez", "O'Brien" → "obrien".

    Cached because the generator builds tens of thousands of emails from a few hundred names.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    return "".join(ch for ch in stripped.lower() if ch.isascii() and (ch.isalnum() or ch == "-"))


def username(first: str | None, last: str | None, suffix: str = "") -> str:
    """A district login such as "jnunez0042": first initial, last name, a number."""
    return f"{ascii_slug(first or last or 'x')[:1]}{ascii_slug(last or first or 'x')}{suffix}"


def is_accented(name: str | None) -> bool:
    """True when the name has any non-ASCII letter."""
    return name is not None and not name.isascii()


def without_accents(name: str) -> str:
    """The name as typed on a keyboard without accents, case kept: "José Núñez" → "Jose Nunez"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
