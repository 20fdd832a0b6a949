"""v1 dates: Northwind's legacy day-first format."""
import datetime


def parse_date(text):
    """Parse 'DD/MM/YYYY'."""
    return datetime.datetime.strptime(text.strip(), "%d/%m/%Y").date()
