"""Reply suggestions: retrieval over past replies, templates and rules, ranked and checked.

retrieval.py and ranking.py are pure; history.py reads the project's database.
"""
