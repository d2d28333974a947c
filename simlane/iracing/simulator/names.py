"""Driver and team names for the simulated world: accents, emoji and Discord markdown on purpose, so that every
feature that shows a name is tested against names that break naive code."""

FIRST = [
    "José", "Zoë", "Łukasz", "Søren", "Ana", "Mika", "Chloé", "Jürgen", "Renée", "Björn", "Ingrid", "Tomás",
    "Aiyana", "Kenji", "Fatima", "Olu", "Priya", "Nuno", "Élodie", "Dmitri", "Sam", "Max", "Lena", "Ömer",
    "Kai", "Noor", "Mateo", "Freya", "Ravi", "Yui",
]
LAST = [
    "Núñez", "Müller", "O'Brien", "Kowalski", "Ødegaard", "Häkkinen", "Lefèvre", "Smith", "Nakamura", "Silva",
    "García", "Novák", "Dubois", "Rossi", "Van der Berg", "Ibrahim", "Chen", "Larsson", "Costa", "Fernández",
]
# Applied to some members so that escaping and mention suppression are always exercised.
DECORATIONS = [
    "{name} 🏎️", "*{name}*", "{name}_Racing_", "`{name}`", "{name} @everyone", "<@123> {name}", "**{name}**",
    "{name} ||fast||", "~~{name}~~", "{name} 🇧🇷",
]
TEAM_WORDS = ["Apex", "Crayola", "Velocity", "Nordic", "Pit Lane", "Ωmega", "Drift & Co", "Zürich", "Lapse"]
