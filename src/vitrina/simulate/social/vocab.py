"""Words the social simulator draws from: countries, languages, cities, topics, text."""

from __future__ import annotations

__all__ = [
    "BADGES",
    "CITIES",
    "COMPLAINT_REASONS",
    "COUNTRIES",
    "COUNTRY_WEIGHTS",
    "LANGUAGES",
    "TIERS",
    "TIER_CENTS",
    "TOPICS",
    "WORDS",
]

# (ISO code, language, a city): the first column's order is the countries' index everywhere.
_COUNTRY_ROWS = (
    ("US", "en", "Chicago", 30),
    ("BR", "pt-BR", "Recife", 14),
    ("IN", "hi", "Pune", 14),
    ("DE", "de", "Leipzig", 7),
    ("GB", "en", "Leeds", 6),
    ("FR", "fr", "Lyon", 6),
    ("MX", "es", "Puebla", 5),
    ("ES", "es", "Valencia", 4),
    ("IT", "it", "Turin", 4),
    ("PL", "pl", "Gdansk", 3),
    ("JP", "ja", "Osaka", 3),
    ("CA", "en", "Calgary", 3),
    ("NL", "nl", "Utrecht", 2),
    ("SE", "sv", "Malmo", 2),
    ("PT", "pt", "Porto", 2),
    ("AR", "es", "Rosario", 2),
    ("TR", "tr", "Izmir", 2),
    ("UA", "uk", "Lviv", 2),
    ("CZ", "cs", "Brno", 1),
    ("FI", "fi", "Tampere", 1),
)
COUNTRIES = tuple(r[0] for r in _COUNTRY_ROWS)
LANGUAGES = tuple(r[1] for r in _COUNTRY_ROWS)
CITIES = tuple(r[2] for r in _COUNTRY_ROWS)
COUNTRY_WEIGHTS = tuple(r[3] for r in _COUNTRY_ROWS)

TOPICS = (
    "music",
    "football",
    "cooking",
    "travel",
    "photography",
    "gaming",
    "movies",
    "books",
    "fitness",
    "technology",
    "fashion",
    "science",
    "politics",
    "pets",
    "art",
    "cars",
    "gardening",
    "history",
    "comedy",
    "startups",
)

WORDS = (
    "today", "finally", "great", "new", "look", "what", "think", "love", "best", "really",
    "morning", "night", "weekend", "friends", "city", "first", "time", "again", "never",
    "amazing", "photo", "video", "story", "question", "idea", "home", "trip", "game", "song",
    "recipe", "book", "team", "win", "lost", "happy", "tired", "coffee", "rain", "sun", "why",
)  # fmt: skip

BADGES = ("early_adopter", "verified", "top_creator", "helpful", "streak_30", "moderator")
COMPLAINT_REASONS = ("spam", "harassment", "misinformation", "nudity", "violence", "copyright")
TIERS = ("bronze", "silver", "gold")
TIER_CENTS = (299, 799, 1999)  # monthly price of each tier
