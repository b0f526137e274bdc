"""The tag-health thresholds a report uses unless told otherwise (light: the CLI's parser
shows them as defaults without loading the analysis)."""

from __future__ import annotations

DEFAULT_ZOMBIE_DAYS = 90
DEFAULT_CORP_TAG_CAP = 3_000
"""WeCom's corp tag cap in the older docs; newer mirrors say 10,000 with rule-group tags
(unconfirmed which is current, so it is a setting)."""
DEFAULT_GROUP_TAG_CAP = 100
"""Tags per group: not documented by WeCom; the console is known to stop near 100."""
