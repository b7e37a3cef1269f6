"""kam.settings: defaults, versioned saving, JSON round trip."""
import dataclasses

from kam import db, settings


def test_defaults_apply_until_a_version_is_saved():
    con = db.connect()
    assert settings.load(con) == settings.Settings()
    assert settings.history(con).empty


def test_saving_adds_a_version_and_loading_returns_the_newest():
    con = db.connect()
    first = settings.Settings()
    changed = dataclasses.replace(first, tiers=dataclasses.replace(first.tiers, labels=("钻石", "金牌", "普通")))
    assert settings.save(con, first, saved_by="李强") == 1
    assert settings.save(con, changed, saved_by="李强", note="rename tiers") == 2
    assert settings.load(con).tiers.labels == ("钻石", "金牌", "普通")
    assert list(settings.history(con)["note"]) == ["", "rename tiers"]


def test_a_stored_body_missing_keys_takes_defaults():
    loaded = settings.from_dict({"tiers": {"labels": ["X", "Y", "Z", "W"]}})
    assert loaded.tiers.labels == ("X", "Y", "Z", "W")
    assert loaded.health == settings.Settings().health


def test_every_setting_explains_itself():
    missing = [f"{type(section).__name__}.{f.name}"
               for section in dataclasses.asdict(settings.Settings()).keys()
               for f in dataclasses.fields(getattr(settings.Settings(), section))
               if not f.metadata.get("help")]
    assert missing == []
