"""What SimLane tells an event's members, exactly once: reminders (channel and DM), the nudge before the signup
cut-off, stint alerts in team threads and the results post.

``planner`` decides what is due at a moment and claims it in the ``EventNotice`` ledger with its text frozen;
``results`` finds the event's session results and claims the results post; ``ledger`` records each attempt;
``outbox`` sends the claimed notices through a ``NoticeSender`` (the bot's, ``discord_bot.exts.event_notices``);
``aio`` is the async side of the ORM boundary.
"""
