"""Helpers the test modules share: known records, small warehouses, reference semantics."""
