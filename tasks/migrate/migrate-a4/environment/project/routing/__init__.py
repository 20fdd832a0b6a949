"""Northwind parcel routing."""
