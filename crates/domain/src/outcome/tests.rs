use proptest::prelude::*;

use super::*;

fn goals(levels: &[i8], weights: &[f64]) -> Vec<GasGoal> {
    levels.iter().zip(weights).map(|(&level, &weight)| GasGoal { weight, level, description: None }).collect()
}

/// The vectors of the shared reference file gas_vectors.csv (levels,
/// weights, T-score), copied so that the project builds on its own.
const GAS_VECTORS: &[(&[i8], &[f64], f64)] = &[
    (&[-2, 0, -1, 2, 0, 1], &[3.0, 5.0, 1.0, 4.0, 2.0, 6.0], 55.000),
    (&[0, 0, 0], &[1.0, 1.0, 1.0], 50.000),
    (&[-1, -1, -1], &[1.0, 1.0, 1.0], 36.307),
    (&[-2, -2, -2], &[1.0, 1.0, 1.0], 22.614),
    (&[2, 2, 2], &[1.0, 1.0, 1.0], 77.386),
    (&[1, 2, 0, -1], &[1.0, 2.0, 3.0, 1.0], 57.968),
];

#[test]
fn gas_t_scores_match_the_reference_vectors() {
    for (levels, weights, expected) in GAS_VECTORS {
        let goals = goals(levels, weights);
        assert_eq!(gas_t_score(&goals), *expected, "{levels:?} {weights:?}");
        assert_eq!(check_gas(goals).unwrap().headline(), *expected);
    }
}

#[test]
fn gas_checks_name_the_goal_at_fault() {
    let ok = GasGoal { weight: 1.0, level: 0, description: None };
    assert_eq!(check_gas(vec![]).unwrap_err().0, "goals");
    assert_eq!(check_gas(vec![ok.clone(); 21]).unwrap_err().0, "goals");
    assert!(check_gas(vec![ok.clone(); 20]).is_ok());
    let bad_level = GasGoal { level: 3, ..ok.clone() };
    assert_eq!(check_gas(vec![ok.clone(), bad_level]).unwrap_err().0, "goals.1.level");
    let low_level = GasGoal { level: -3, ..ok.clone() };
    assert_eq!(check_gas(vec![low_level]).unwrap_err().0, "goals.0.level");
    for weight in [-0.5, f64::NAN, f64::INFINITY] {
        let bad = GasGoal { weight, ..ok.clone() };
        let mut list = vec![ok.clone(); 12];
        list.push(bad);
        assert_eq!(check_gas(list).unwrap_err().0, "goals.12.weight", "{weight}");
    }
    let unweighted = GasGoal { weight: 0.0, ..ok.clone() };
    let err = check_gas(vec![unweighted.clone(), unweighted.clone()]).unwrap_err();
    assert_eq!((err.0, err.1.code), ("goals", "no_weight"));
    // A zero weight beside a positive one is fine: the goal just does not count.
    assert!(check_gas(vec![unweighted, ok.clone()]).is_ok());
}

#[test]
fn gas_descriptions_are_trimmed_checked_and_dropped_when_empty() {
    let with = |d: &str| GasGoal { weight: 1.0, level: 1, description: Some(d.to_string()) };
    let Measurement::Gas(checked) = check_gas(vec![with("  Koulunkäynti sujuu \n"), with("   ")]).unwrap() else {
        panic!("a GAS measurement")
    };
    assert_eq!(checked[0].description.as_deref(), Some("Koulunkäynti sujuu"));
    assert_eq!(checked[1].description, None);
    assert_eq!(check_gas(vec![with(&"a".repeat(501))]).unwrap_err().0, "goals.0.description");
    assert!(check_gas(vec![with(&"ä".repeat(500))]).is_ok());
    // Free text is guarded against identity codes like every other field.
    let err = check_gas(vec![with("ok"), with("hetu 131052-308T")]).unwrap_err();
    assert_eq!(err.0, "goals.1.description");
}

#[test]
fn cgas_scores_and_bands() {
    assert_eq!(check_cgas(1).unwrap(), Measurement::Cgas(1));
    assert_eq!(check_cgas(100).unwrap().headline(), 100.0);
    for bad in [0, 101, -5, 1000] {
        assert_eq!(check_cgas(bad).unwrap_err().0, "score");
    }
    assert_eq!(cgas_band(1), CgasBand::ConstantSupervision);
    assert_eq!(cgas_band(10), CgasBand::ConstantSupervision);
    assert_eq!(cgas_band(11), CgasBand::ConsiderableSupervision);
    assert_eq!(cgas_band(55), CgasBand::VariableFunctioning);
    assert_eq!(cgas_band(91).key(), "cgas-band-91-100");
    assert_eq!(cgas_band(100).range(), (91, 100));
    assert_eq!(cgas_band(0), CgasBand::ConstantSupervision);
    for score in 1..=100u8 {
        let (low, high) = cgas_band(score).range();
        assert!((low..=high).contains(&score));
        assert_eq!(cgas_band(score).key(), format!("cgas-band-{low}-{high}"));
    }
}

#[test]
fn honosca_totals_leave_out_not_known_and_items_14_15() {
    let items = [2, 9, 4, 0, 1, 9, 3, 0, 0, 1, 2, 9, 4, 4, 4];
    assert_eq!(honosca_total(&items), HonoscaTotal { total: 17, rated: 10 });
    assert_eq!(honosca_total(&[9; 15]), HonoscaTotal { total: 0, rated: 0 });
    let raw: Vec<i64> = items.iter().map(|&v| i64::from(v)).collect();
    let measurement = check_honosca(&raw).unwrap();
    assert_eq!(measurement, Measurement::Honosca(items));
    assert_eq!(measurement.headline(), 17.0);
    assert_eq!(measurement.instrument(), Instrument::Honosca);
    assert_eq!(check_honosca(&raw[..14]).unwrap_err().1.code, "wrong_count");
    for bad in [5, 8, -1, 10] {
        let mut values = raw.clone();
        values[3] = bad;
        assert_eq!(check_honosca(&values).unwrap_err().0, "items", "{bad}");
    }
}

#[test]
fn sdq_checks_ranges_and_the_sum_of_difficulties() {
    let none = [None; 6];
    let Measurement::Sdq(scores) = check_sdq("self", 17, none).unwrap() else { panic!("an SDQ measurement") };
    assert_eq!((scores.informant, scores.total, scores.impact), (Informant::SelfReport, 17, None));
    assert_eq!(check_sdq("pupil", 17, none).unwrap_err().0, "informant");
    assert_eq!(check_sdq("parent", 41, none).unwrap_err().0, "total");
    assert_eq!(check_sdq("parent", -1, none).unwrap_err().0, "total");
    for (i, field) in ["emotional", "conduct", "hyperactivity", "peer", "prosocial", "impact"].into_iter().enumerate() {
        let mut subscales = none;
        subscales[i] = Some(11);
        assert_eq!(check_sdq("teacher", 10, subscales).unwrap_err().0, field);
    }
    let full = [Some(5), Some(3), Some(8), Some(1), Some(9), Some(2)];
    assert_eq!(check_sdq("parent", 17, full).unwrap().headline(), 17.0);
    let err = check_sdq("parent", 18, full).unwrap_err();
    assert_eq!((err.0, err.1.code), ("total", "total_mismatch"));
    // With a difficulty subscale missing the total cannot be cross-checked.
    assert!(check_sdq("parent", 30, [Some(5), None, Some(8), Some(1), None, None]).is_ok());
}

#[test]
fn codes_round_trip() {
    for instrument in Instrument::ALL {
        assert_eq!(instrument.as_str().parse::<Instrument>().unwrap(), instrument);
    }
    assert_eq!("GAS".parse::<Instrument>().unwrap_err().code, "unknown_instrument");
    for informant in Informant::ALL {
        assert_eq!(informant.as_str().parse::<Informant>().unwrap(), informant);
    }
    assert_eq!("selfreport".parse::<Informant>().unwrap_err().code, "unknown_informant");
}

fn weighted_goals() -> impl Strategy<Value = Vec<GasGoal>> {
    prop::collection::vec((0.0f64..10.0, -2i8..=2), 1..=GAS_MAX_GOALS).prop_map(|pairs| {
        let mut goals: Vec<GasGoal> =
            pairs.into_iter().map(|(weight, level)| GasGoal { weight, level, description: None }).collect();
        goals[0].weight += 0.5;
        goals
    })
}

proptest! {
    #[test]
    fn all_goals_as_expected_score_50(goals in weighted_goals()) {
        let levelled: Vec<GasGoal> = goals.into_iter().map(|g| GasGoal { level: 0, ..g }).collect();
        prop_assert_eq!(gas_t_score(&levelled), 50.0);
    }

    #[test]
    fn the_t_score_grows_with_each_level(goals in weighted_goals(), index in 0usize..GAS_MAX_GOALS) {
        let index = index % goals.len();
        prop_assume!(goals[index].level < 2);
        let mut raised = goals.clone();
        raised[index].level += 1;
        prop_assert!(gas_t_score(&raised) >= gas_t_score(&goals));
        if goals[index].weight > 0.0 {
            prop_assert!(gas_t_score_exact(&raised) > gas_t_score_exact(&goals));
        }
        prop_assert!(check_gas(raised).is_ok());
    }
}
