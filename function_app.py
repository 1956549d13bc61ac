"""Exists for the Functions worker's discovery check, which looks for a file named function_app.py.

The worker then runs importlib.import_module("function_app"), and Python's path finder prefers the
package directory function_app/ over this file, so the app is built in function_app/__init__.py from
Blueprints and this file's body never runs (tests/app/test_discovery.py replays exactly that).
"""
