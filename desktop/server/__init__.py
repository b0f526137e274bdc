"""The team server: one shared TagDesk for a whole team, on PostgreSQL.

It holds the corp secret, is the only place that calls WeCom in team mode (one corp-wide
rate limiter and concurrency cap for every desktop), proves who each desktop's user is
with one-time codes sent through `message/send`, and journals every write it relays
under the authenticated user's name in an append-only, hash-chained team journal.

The top layer beside the CLI: it imports services, store and wecom; nothing below it
imports it, and solo mode runs without its packages (the `server` extra).
"""
