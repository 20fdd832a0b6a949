"""Courier payouts."""
