#!/usr/bin/env python3
"""review_date.py ISSUED CLASSIFICATION -> MAS-DS-7 review date (restricted +6 months, else +12; month-end clamp)."""
import calendar
import datetime
import sys

d = datetime.date.fromisoformat(sys.argv[1])
months = 6 if sys.argv[2] == "restricted" else 12
y, m = divmod(d.month - 1 + months, 12)
y, m = d.year + y, m + 1
print(datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1])).isoformat())
