//! Dead letters: kept by position, replaced on a second refusal, paged in
//! position order, forgotten once replayed.

use innsyn_ports::{DeadLetter, DeadLetterStore, StreamPosition};
use time::Duration;

use crate::fixtures::NOW;

fn at(topic: &str, partition: i32, offset: i64) -> StreamPosition {
    StreamPosition {
        topic: topic.to_owned(),
        partition,
        offset,
    }
}

fn letter(position: StreamPosition, reason: &str, minutes: i64) -> DeadLetter {
    DeadLetter {
        position,
        reason: reason.to_owned(),
        at: NOW + Duration::minutes(minutes),
    }
}

/// A letter round-trips; a second refusal at the same position replaces
/// reason and time without counting as new, also within one call.
pub fn dead_letters_are_kept_once_per_position(store: &impl DeadLetterStore) {
    let first = letter(at("aktiviteter-json", 2, 41), "not JSON", 0);
    assert_eq!(
        store
            .put_dead_letters(std::slice::from_ref(&first))
            .unwrap(),
        1
    );
    assert_eq!(store.dead_letters(None, 10).unwrap(), vec![first.clone()]);

    let again = letter(first.position.clone(), "event_created: is required", 5);
    let other = letter(at("aktiviteter-json", 0, 7), "not an activity record", 1);
    let twice = letter(other.position.clone(), "event_name: is required", 2);
    assert_eq!(
        store
            .put_dead_letters(&[again.clone(), other, twice.clone()])
            .unwrap(),
        1,
        "only partition 0's offset is new"
    );
    assert_eq!(store.dead_letters(None, 10).unwrap(), vec![twice, again]);
    assert_eq!(store.put_dead_letters(&[]).unwrap(), 0);
}

/// Pages follow (topic, partition, offset), numbers compared as numbers.
pub fn dead_letters_are_paged_in_position_order(store: &impl DeadLetterStore) {
    let positions = [
        at("b", 0, 1),
        at("a", 10, 1),
        at("a", 2, 100),
        at("a", 2, 9),
        at("a", 2, 10),
    ];
    let letters: Vec<DeadLetter> = positions
        .iter()
        .map(|p| letter(p.clone(), "bad", 0))
        .collect();
    assert_eq!(store.put_dead_letters(&letters).unwrap(), 5);
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.dead_letters(after.clone(), 2).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        after = page.last().map(|l| l.position.clone());
        seen.extend(page.into_iter().map(|l| l.position));
    }
    assert_eq!(
        seen,
        vec![
            at("a", 2, 9),
            at("a", 2, 10),
            at("a", 2, 100),
            at("a", 10, 1),
            at("b", 0, 1),
        ]
    );
}

/// Removing forgets exactly the positions named; unknown ones count 0.
pub fn replayed_dead_letters_are_forgotten(store: &impl DeadLetterStore) {
    let letters: Vec<DeadLetter> = (0..4)
        .map(|offset| letter(at("t", 1, offset), "bad", 0))
        .collect();
    store.put_dead_letters(&letters).unwrap();
    let gone = store
        .remove_dead_letters(&[at("t", 1, 1), at("t", 1, 3), at("t", 2, 1)])
        .unwrap();
    assert_eq!(gone, 2);
    let left: Vec<StreamPosition> = store
        .dead_letters(None, 10)
        .unwrap()
        .into_iter()
        .map(|l| l.position)
        .collect();
    assert_eq!(left, vec![at("t", 1, 0), at("t", 1, 2)]);
    assert_eq!(store.remove_dead_letters(&[]).unwrap(), 0);
}
