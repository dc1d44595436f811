//! Properties of the parts with arithmetic or state: due dates in working
//! days across weekends and Finnish holidays, and the consultation state
//! machine under any sequence of actions by any party.

use proptest::prelude::*;
use time::{Date, Duration};
use tukiverkko_domain::calendar::{add_working_days, is_working_day};
use tukiverkko_domain::consultation::{Action, Party, Status, transition};
use tukiverkko_domain::statistics::working_days_between;

fn any_date() -> impl Strategy<Value = Date> {
    // 2020–2035: every movable holiday (Easter, Midsummer, All Saints') in range.
    (0i64..(16 * 365)).prop_map(|d| time::macros::date!(2020 - 01 - 01) + Duration::days(d))
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::EditDraft),
        Just(Action::Submit),
        Just(Action::Reroute),
        Just(Action::Assign),
        Just(Action::Accept),
        any::<bool>().prop_map(|leaves_no_lead| Action::DeclineAssignment { leaves_no_lead }),
        Just(Action::DeclineCase),
        Just(Action::Statement),
        Just(Action::Feedback),
        Just(Action::Cancel),
        Just(Action::Message),
        Just(Action::Meeting),
        Just(Action::MarkBarnahus),
    ]
}

fn any_party() -> impl Strategy<Value = Party> {
    prop_oneof![Just(Party::Requester), Just(Party::Coordinator), Just(Party::LeadExpert), Just(Party::PanelExpert)]
}

proptest! {
    /// A due date N working days ahead is a working day after the start,
    /// exactly N working days away, and one more day never comes earlier.
    #[test]
    fn due_dates_count_working_days(start in any_date(), days in 1u32..40) {
        let due = add_working_days(start, days);
        prop_assert!(due > start);
        prop_assert!(is_working_day(due), "{due} is a weekend day or a holiday");
        prop_assert_eq!(working_days_between(start, due), days);
        prop_assert!(add_working_days(start, days + 1) > due);
        prop_assert_eq!(add_working_days(start, 0), start);
    }

    /// Whatever is tried in whatever order: a sent case never goes back to
    /// a draft, nothing moves a finished case, a refused action leaves the
    /// state as it was (the loop keeps it), and only the requester's feedback closes a case.
    #[test]
    fn the_state_machine_holds_under_any_sequence(steps in prop::collection::vec((any_action(), any_party()), 0..40)) {
        let mut status = Status::Draft;
        let mut sent = false;
        for (action, party) in steps {
            let finished = matches!(status, Status::Closed | Status::Cancelled | Status::Declined);
            // A refused action changes nothing: the loop keeps `status`.
            if let Ok(next) = transition(status, action, party) {
                prop_assert!(!finished, "{status:?} is final, yet {action:?} by {party:?} moved it to {next:?}");
                prop_assert!(!(sent && next == Status::Draft), "a sent case went back to a draft");
                if next == Status::Closed {
                    prop_assert_eq!((action, party), (Action::Feedback, Party::Requester));
                }
                sent |= next != Status::Draft;
                status = next;
            }
        }
    }
}
