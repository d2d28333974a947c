"""Domain errors: one base, subclassed per app. Their messages are safe to show to users."""


class ApplicationError(Exception):
    """An error whose message explains to a user what went wrong and what to do."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__
