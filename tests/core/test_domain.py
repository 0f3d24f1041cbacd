"""The domain's words are defined once: the models' choices and the pure cores read the same tables."""

from tiaodu.briefings import content
from tiaodu.core import domain
from tiaodu.progress import analysis
from tiaodu.projects.models import STATUS_TRANSITIONS, Project, ProjectStatus, ProjectType


def test_it_builds_the_models_choices_from_the_domain():
    assert ProjectType.choices == list(domain.PROJECT_TYPES)
    assert ProjectStatus.choices == list(domain.PROJECT_STATUSES)
    assert ProjectStatus.UNDER_CONSTRUCTION == domain.UNDER_CONSTRUCTION == "under_construction"
    assert ProjectStatus("accepted").label == "已验收" and ProjectType.REMEDIATION.label == "综合整治"
    assert Project._meta.get_field("status").choices == list(domain.PROJECT_STATUSES)
    assert STATUS_TRANSITIONS is domain.STATUS_TRANSITIONS


def test_it_gives_the_pure_cores_the_same_labels_and_orders():
    assert content.STATUS_LABELS is domain.STATUS_LABELS and content.TYPE_NOUN is domain.TYPE_NOUNS
    assert content.TYPE_ORDER == ("key_construction", "remediation")
    assert (
        analysis.LEVEL_LABELS
        is domain.LEVEL_LABELS
        == {"normal": "正常", "lagging": "滞后", "severe": "严重滞后"}
    )
    assert sorted(domain.LEVEL_LABELS, key=domain.LEVEL_ORDER.get) == ["severe", "lagging", "normal"]
    assert domain.TYPE_NOUNS == {"key_construction": "重点建设项目", "remediation": "综合整治项目"}
    assert domain.DONE_STATUSES == {"completed", "accepted"}


def test_it_moves_a_status_one_allowed_step_at_a_time():
    assert domain.status_reachable("not_started", "accepted")
    assert not domain.status_reachable("completed", "under_construction")
    assert domain.status_reachable("suspended", "completed")
