"""The simulated world's fixed catalogue: cars, classes, tracks and series (names are public facts, ids invented)."""

from __future__ import annotations

from dataclasses import dataclass

# (car_id, name, abbreviation, class_id)
CARS: list[tuple[int, str, str, int]] = [
    (67, "Global Mazda MX-5 Cup", "MX5", 74),
    (1, "Skip Barber Formula 2000", "SBRS", 1),
    (30, "Formula Vee", "FV", 30),
    (132, "BMW M4 GT3", "M4GT3", 2708),
    (156, "Mercedes-AMG GT3 2020", "AMGGT3", 2708),
    (169, "Porsche 911 GT3 R (992)", "992GT3R", 2708),
    (173, "Ferrari 296 GT3", "296GT3", 2708),
    (168, "Cadillac V-Series.R GTP", "CADGTP", 4029),
    (174, "Porsche 963 GTP", "963GTP", 4029),
    (196, "Ferrari 499P", "499P", 4029),
    (123, "NASCAR Cup Series Next Gen Chevrolet Camaro ZL1", "CUPCAM", 2752),
    (124, "NASCAR Cup Series Next Gen Ford Mustang", "CUPMUS", 2752),
]
CLASSES: dict[int, tuple[str, str]] = {
    74: ("Mazda MX-5 Cup", "MX5 Cup"),
    1: ("Skip Barber", "SBRS"),
    30: ("Formula Vee", "FV"),
    2708: ("GT3 Class", "GT3"),
    4029: ("GTP", "GTP"),
    2752: ("NASCAR Cup", "Cup"),
}


@dataclass(frozen=True)
class TrackConfig:
    track_id: int
    track_name: str
    config_name: str
    category_id: int  # 1 oval, 5 sports car
    length_km: float
    base_lap_s: float  # a GT3-ish lap; other classes scale it
    time_zone: str


TRACKS: list[TrackConfig] = [
    TrackConfig(1, "Lime Rock Park", "Full Course", 5, 2.47, 53.0, "America/New_York"),
    TrackConfig(2, "Okayama International Circuit", "Full Course", 5, 3.70, 88.0, "Asia/Tokyo"),
    TrackConfig(3, "Circuit de Spa-Francorchamps", "Grand Prix Pits", 5, 7.00, 138.0, "Europe/Brussels"),
    TrackConfig(4, "Nürburgring Grand-Prix-Strecke", "Grand Prix", 5, 5.15, 114.0, "Europe/Berlin"),
    TrackConfig(5, "Daytona International Speedway", "Road Course", 5, 5.73, 107.0, "America/New_York"),
    TrackConfig(6, "Daytona International Speedway", "Oval", 1, 4.02, 49.0, "America/New_York"),
    TrackConfig(7, "Autódromo José Carlos Pace", "Grand Prix", 5, 4.31, 96.0, "America/Sao_Paulo"),
    TrackConfig(8, "Mount Panorama Circuit", "N/A", 5, 6.21, 122.0, "Australia/Sydney"),
    TrackConfig(9, "Watkins Glen International", "Boot", 5, 5.43, 110.0, "America/New_York"),
    TrackConfig(10, "Charlotte Motor Speedway", "Oval", 1, 2.41, 30.0, "America/New_York"),
    TrackConfig(11, "Suzuka International Racing Course", "Grand Prix", 5, 5.81, 121.0, "Asia/Tokyo"),
    TrackConfig(12, "Circuit Zandvoort", "Grand Prix", 5, 4.26, 96.0, "Europe/Amsterdam"),
]
TRACK_BY_ID = {t.track_id: t for t in TRACKS}

CLASS_PACE = {74: 1.22, 1: 1.12, 30: 1.35, 2708: 1.0, 4029: 0.9, 2752: 1.0}


@dataclass(frozen=True)
class SeriesDef:
    series_id: int
    name: str
    short_name: str
    class_ids: tuple[int, ...]
    tracks: tuple[int, ...]  # rotated by race week
    first_minute: int  # first session of the day, minutes after 00:00 UTC
    repeat_minutes: int
    session_minutes: int
    category_id: int = 5
    team: bool = False
    official: bool = True


SERIES: list[SeriesDef] = [
    SeriesDef(1001, "SimLane Mazda MX-5 Cup", "MX-5 Cup", (74,), (1, 2, 9, 4, 12, 7), 0, 30, 25),
    SeriesDef(1002, "SimLane GT3 Challenge", "GT3 Challenge", (2708,), (3, 4, 8, 11, 9, 12), 15, 60, 45),
    SeriesDef(1003, "SimLane IMSA Endurance", "IMSA", (4029, 2708), (5, 9, 7, 3, 11, 1), 45, 120, 59),
    SeriesDef(
        1004,
        "SimLane Team Endurance",
        "Team Endurance",
        (2708,),
        (8, 3, 4, 5, 11, 2),
        60,
        360,
        120,
        team=True,
    ),
    SeriesDef(1005, "SimLane Formula Vee", "Formula Vee", (30,), (1, 2, 12, 9, 7, 4), 10, 30, 20),
    SeriesDef(1006, "SimLane Cup Oval", "Cup Oval", (2752,), (6, 10, 6, 10, 6, 10), 30, 60, 40, category_id=1),
]
LICENSE_CATEGORY = {1: "Oval", 5: "Sports_Car"}
