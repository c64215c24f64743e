"""Editors of the centre tabs: overview, budget, indicator tables and narrative."""
