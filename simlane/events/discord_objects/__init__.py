"""The records of the Discord objects SimLane made for events, read and written for the bot's event reconciler
(``discord_bot/exts/event_discord``); the bot reaches them only through ``aio``."""
