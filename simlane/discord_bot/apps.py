from django.apps import AppConfig


class DiscordBotConfig(AppConfig):
    name = "simlane.discord_bot"
    label = "discord_bot"
    verbose_name = "Discord bot"
