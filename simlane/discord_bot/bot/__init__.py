from .bot import EXTENSIONS, SimLaneBot
from .tree import SimLaneTree

__all__ = ["EXTENSIONS", "SimLaneBot", "SimLaneTree"]
