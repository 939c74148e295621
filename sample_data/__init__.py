"""Fictitious sample data: generator, story and the CSV files it writes."""
