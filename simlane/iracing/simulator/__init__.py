"""A local iRacing Data API simulator for tests, benchmarks and the demo (see README.md here)."""

from .clock import SimClock
from .faults import FaultPlan
from .server import Credentials, Simulator, SimulatorConfig
from .world import World

__all__ = ["Credentials", "FaultPlan", "SimClock", "Simulator", "SimulatorConfig", "World"]
