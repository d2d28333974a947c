"""The bot's health on each server: written by the bot, read by the dashboard and the API."""
