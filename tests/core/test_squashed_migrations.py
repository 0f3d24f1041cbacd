"""The squashed migrations (core, progress, briefings, supervision) stand for the migrations they replace.

A new database (a fresh install, every test database) applies the squashed migration of an app instead of
its first ones: the validators and labels that later migrations changed are written straight into the
models' creation, so Django renders the historical models fewer times (issue 16: `migrate` on an empty
SQLite database ≈ 30 % less CPU). A database that applied the old migrations keeps them and is not
migrated again. Both paths must end at the same models: the same fields, options, indexes and
constraints.
"""

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

SQUASHED = {
    "core": "0001_squashed_0003_text_and_date_rules",
    "progress": "0001_squashed_0006_report_flags",
    "briefings": "0001_squashed_0004_minutes",
    "supervision": "0001_squashed_0005_investment_reminders",
}


def _states():
    squashed = MigrationLoader(None, ignore_no_migrations=True)
    replaced = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    return squashed, replaced


def test_the_squashed_migrations_end_at_the_same_models_as_the_ones_they_replace():
    squashed, replaced = _states()
    for app, name in SQUASHED.items():
        assert (app, name) in squashed.graph.nodes, app  # a new database takes the squashed one
        for old in squashed.disk_migrations[(app, name)].replaces:
            assert old in replaced.graph.nodes and old not in squashed.graph.nodes, old
    new_state = squashed.project_state()
    # The old path: every migration but the squashed ones (nothing depends on those in this graph).
    old_leaves = [key for key in replaced.graph.leaf_nodes() if SQUASHED.get(key[0]) != key[1]]
    old_state = replaced.graph.make_state(nodes=old_leaves, at_end=True, real_apps=replaced.unmigrated_apps)
    old_plan = {key for leaf in old_leaves for key in replaced.graph.forwards_plan(leaf)}
    assert not old_plan & {(app, name) for app, name in SQUASHED.items()}
    assert sorted(new_state.models) == sorted(old_state.models)
    for key, model in old_state.models.items():
        other = new_state.models[key]
        assert dict(other.fields).keys() == dict(model.fields).keys(), key
        for name, field in model.fields.items():
            assert other.fields[name].deconstruct()[1:] == field.deconstruct()[1:], (key, name)
        assert other.options == model.options, key
    assert new_state == old_state


def test_a_database_migrated_by_the_old_migrations_has_nothing_left_to_apply(db):
    """The test database applied the squashed migrations; recorded instead as the old ones (a database
    from before the squash), Django counts the squashed ones as applied."""
    recorder = MigrationRecorder(connection)
    applied = set(recorder.applied_migrations())
    for app, name in SQUASHED.items():
        assert (app, name) in applied, app
    loader = MigrationLoader(connection)
    for app, name in SQUASHED.items():
        recorder.record_unapplied(app, name)
        for old in loader.disk_migrations[(app, name)].replaces:
            recorder.record_applied(*old)
    loader = MigrationLoader(connection)
    leaf_nodes = loader.graph.leaf_nodes()
    plan = [key for leaf in leaf_nodes for key in loader.graph.forwards_plan(leaf)]
    assert [key for key in dict.fromkeys(plan) if key not in loader.applied_migrations] == []
    for app, name in SQUASHED.items():
        assert (app, name) in loader.applied_migrations, app
