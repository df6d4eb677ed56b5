from tests.factories import add_record, new_id, publication_of, record_data


def test_exemplar_builds_a_publication(repo):
    add_record(repo, record_data(id=new_id(1)))
    pub = publication_of(repo)
    assert [r.id for r in pub.records] == [new_id(1)]
