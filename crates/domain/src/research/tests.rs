use super::*;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn ballot(group: &str, ranking: &[&str]) -> Ballot {
    Ballot { group: group.to_string(), ranking: ids(ranking) }
}

#[test]
fn statuses_round_trip() {
    for status in NeedStatus::ALL {
        assert_eq!(status.as_str().parse::<NeedStatus>().unwrap(), status);
    }
    assert_eq!("done".parse::<NeedStatus>().unwrap_err().code, "unknown_status");
    let finals: Vec<NeedStatus> = NeedStatus::ALL.into_iter().filter(|s| s.is_final()).collect();
    assert_eq!(finals, [NeedStatus::Published, NeedStatus::Merged]);
}

#[test]
fn the_pipeline_allows_exactly_its_moves() {
    use NeedStatus::*;
    let allowed = [
        (Submitted, InReview),
        (InReview, UncertaintyConfirmed),
        (InReview, AnsweredByEvidence),
        (InReview, OutOfScope),
        (AnsweredByEvidence, InReview),
        (OutOfScope, InReview),
        (UncertaintyConfirmed, Prioritised),
        (Prioritised, Proposed),
        (Proposed, InStudy),
        (InStudy, Published),
    ];
    for from in NeedStatus::ALL {
        for to in NeedStatus::ALL {
            assert_eq!(can_move(from, to), allowed.contains(&(from, to)), "{from} → {to}");
        }
        // Merged is reached only by merging.
        assert!(!can_move(from, Merged));
    }
    assert!(NeedStatus::ALL.into_iter().filter(|s| s.is_final()).all(|s| !can_merge(s)));
    assert!(can_merge(Submitted) && can_merge(OutOfScope) && can_merge(InStudy));
}

#[test]
fn publishing_needs_a_result_address() {
    let err = check_result_url(NeedStatus::Published, None).unwrap_err();
    assert_eq!((err.0, err.1.code), ("result_url", "required"));
    assert_eq!(check_result_url(NeedStatus::Published, Some("  ")).unwrap_err().1.code, "required");
    assert_eq!(check_result_url(NeedStatus::Published, Some("ftp://x.fi")).unwrap_err().0, "result_url");
    assert_eq!(
        check_result_url(NeedStatus::Published, Some(" https://doi.org/10.1000/1 ")).unwrap().as_deref(),
        Some("https://doi.org/10.1000/1")
    );
    assert_eq!(check_result_url(NeedStatus::InStudy, None).unwrap(), None);
}

#[test]
fn rank_points() {
    assert_eq!(points(1), 10);
    assert_eq!(points(10), 1);
    assert_eq!(points(0), 0);
    assert_eq!(points(11), 0);
}

#[test]
fn rankings_are_checked() {
    let round = ids(&["n1", "n2", "n3"]);
    assert!(check_ranking(&ids(&["n2", "n1"]), &round).is_ok());
    assert_eq!(check_ranking(&[], &round).unwrap_err().code, "required");
    assert_eq!(check_ranking(&ids(&["n1", "n1"]), &round).unwrap_err().code, "duplicate");
    let err = check_ranking(&ids(&["n1", "n9"]), &round).unwrap_err();
    assert_eq!(err.code, "not_in_round");
    assert!(err.message.contains("n9"));
    let many: Vec<String> = (0..11).map(|i| format!("n{i}")).collect();
    assert!(check_ranking(&many[..10], &many).is_ok());
    assert_eq!(check_ranking(&many, &many).unwrap_err().code, "too_many");
}

/// Three groups: families (5 ballots) and professionals (6) count, the
/// researchers' 2 ballots are too few and are hidden.
///
/// families:      n1 = 10+9+10+9 = 38, n2 = 9+10+8+10 = 37, n3 = 8+10 = 18
/// professionals: n1 = 10+8+9 = 27, n2 = 9+10+10 = 29, n3 = 10+10+9+9+10 = 48
/// researchers:   n4 = 20, n1 = 9 (not counted)
///
/// n1 = 38/5 + 27/6 = 7.6 + 4.5 = 12.1
/// n2 = 37/5 + 29/6 = 7.4 + 4.8333… = 12.23
/// n3 = 18/5 + 48/6 = 3.6 + 8 = 11.6
/// n4 = 0
#[test]
fn a_worked_round() {
    let needs = ids(&["n1", "n2", "n3", "n4"]);
    let groups = ids(&["families", "professionals", "researchers"]);
    let ballots = vec![
        ballot("families", &["n1", "n2", "n3"]),
        ballot("families", &["n2", "n1"]),
        ballot("families", &["n1"]),
        ballot("families", &["n3", "n1", "n2"]),
        ballot("families", &["n2"]),
        ballot("professionals", &["n3", "n2"]),
        ballot("professionals", &["n3"]),
        ballot("professionals", &["n1", "n3"]),
        ballot("professionals", &["n2", "n3", "n1"]),
        ballot("professionals", &["n3", "n1"]),
        ballot("professionals", &["n2"]),
        ballot("researchers", &["n4", "n1"]),
        ballot("researchers", &["n4"]),
    ];
    let result = tally(&needs, &groups, &ballots, 5);
    assert_eq!(result.suppressed_groups, ["researchers"]);
    let order: Vec<(&str, f64)> = result.items.iter().map(|i| (i.need.as_str(), i.score)).collect();
    assert_eq!(order, [("n2", 12.23), ("n1", 12.1), ("n3", 11.6), ("n4", 0.0)]);
    let n2 = &result.items[0].by_group;
    assert_eq!(n2["families"], Some(37.0));
    assert_eq!(n2["professionals"], Some(29.0));
    assert_eq!(n2["researchers"], None);
    let n4 = &result.items[3].by_group;
    assert_eq!((n4["families"], n4["professionals"], n4["researchers"]), (Some(0.0), Some(0.0), None));
}

#[test]
fn ties_empty_groups_and_stray_ballots() {
    let needs = ids(&["b", "a", "c"]);
    let groups = ids(&["g", "empty"]);
    let ballots = vec![
        ballot("g", &["a", "b"]),
        ballot("g", &["b", "a"]),
        // A need outside the round and a repeat earn nothing.
        ballot("g", &["x", "c", "c"]),
        ballot("elsewhere", &["c"]),
    ];
    let result = tally(&needs, &groups, &ballots, 3);
    assert_eq!(result.suppressed_groups, ["empty"]);
    let order: Vec<(&str, f64)> = result.items.iter().map(|i| (i.need.as_str(), i.score)).collect();
    // a and b tie at 19/3 = 6.33 and are ordered by id; c earned 9 from rank 2.
    assert_eq!(order, [("a", 6.33), ("b", 6.33), ("c", 3.0)]);
    assert_eq!(result.items[0].by_group["g"], Some(19.0));
    assert_eq!(result.items[0].by_group["empty"], None);
    // Too few ballots everywhere: every need scores 0 and every group is hidden.
    let hidden = tally(&needs, &groups, &ballots, 5);
    assert!(hidden.items.iter().all(|i| i.score == 0.0 && i.by_group.values().all(Option::is_none)));
    assert_eq!(hidden.suppressed_groups, ["g", "empty"]);
    assert_eq!(hidden.items.iter().map(|i| i.need.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
}
