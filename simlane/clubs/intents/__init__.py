"""The intents queue: web actions that change Discord, carried out by the bot (see ``DiscordIntent``)."""
