use std::collections::HashSet;

use proptest::prelude::*;

use super::*;

#[test]
fn every_kind_of_number_is_accepted() {
    for (raw, kind) in [
        ("01019000083", "fødselsnummer"),
        ("15058000032", "fødselsnummer"),
        ("31129900779", "fødselsnummer, last day of the year"),
        ("29029600013", "29 February of a leap year"),
        ("29020000064", "29 February 2000"),
        ("41019000077", "D-number: day + 40"),
        ("01419000066", "H-number or NAV/Dolly synthetic: month + 40"),
        ("01819000049", "Tenor synthetic: month + 80"),
        ("41819000032", "Tenor synthetic D-number"),
        ("17912099997", "Tenor synthetic, November"),
    ] {
        let pid = IdentityNumber::parse(raw);
        assert!(pid.is_ok(), "{kind}: {pid:?}");
        assert_eq!(pid.map(|p| p.expose().to_owned()), Ok(raw.to_owned()));
    }
}

#[test]
fn anything_but_eleven_digits_is_a_format_error() {
    for raw in [
        "",
        "123",
        "0101900008",
        "010190000830",
        " 01019000083",
        "01019000083 ",
        "010190 00083",
        "0101900008a",
        "+1019000083",
        "０1019000083",
    ] {
        assert_eq!(
            IdentityNumber::parse(raw),
            Err(IdentityNumberError::Format),
            "{raw:?}"
        );
    }
}

#[test]
fn a_wrong_check_digit_is_refused() {
    for raw in [
        "12345678901", // the placeholder of old fixtures
        "01019000084", // k2 off by one
        "01019000093", // k1 off by one
    ] {
        assert_eq!(
            IdentityNumber::parse(raw),
            Err(IdentityNumberError::CheckDigits),
            "{raw}"
        );
    }
    // A remainder of 10 makes a check digit impossible: no last digits fit.
    for (prefix, width) in [("010190012", 2), ("0101900075", 1)] {
        for k in 0..10u32.pow(width) {
            let raw = format!("{prefix}{k:0width$}", width = width as usize);
            assert_eq!(
                IdentityNumber::parse(&raw),
                Err(IdentityNumberError::CheckDigits),
                "{raw}"
            );
        }
    }
}

#[test]
fn check_digits_that_hold_on_a_non_date_are_refused() {
    for (raw, why) in [
        ("00000000000", "day 0"),
        ("32019000035", "day 32"),
        ("72019000029", "day 72 (D-number day 32)"),
        ("00129000082", "day 0 in December"),
        ("01009000093", "month 0"),
        ("01139000001", "month 13"),
        ("01339000189", "month 33: no kind offsets by 20"),
        ("01939000077", "month 93 (Tenor month 13)"),
        ("29029500183", "29 February of a common year"),
        ("31049000076", "31 April"),
    ] {
        assert_eq!(
            IdentityNumber::parse(raw),
            Err(IdentityNumberError::Date),
            "{why}"
        );
    }
}

#[test]
fn errors_and_formatting_never_show_the_number() {
    let pid = IdentityNumber::parse(CITIZEN_A).unwrap();
    let printed = [
        format!("{pid:?}"),
        format!("{pid}"),
        format!("{:?}", Some(&pid)),
    ];
    assert!(
        printed.iter().all(|p| !p.contains(CITIZEN_A)),
        "{printed:?}"
    );
    for e in [
        IdentityNumberError::Format,
        IdentityNumberError::CheckDigits,
        IdentityNumberError::Date,
    ] {
        assert!(
            e.to_string()
                .starts_with("not a valid national identity number")
        );
    }
    assert_eq!(SubjectId::from(pid).expose(), CITIZEN_A);
}

#[test]
fn the_named_citizens_are_the_first_synthetic_numbers() {
    let named = [
        CITIZEN_A, CITIZEN_B, CITIZEN_C, CITIZEN_D, CITIZEN_E, CITIZEN_F,
    ];
    for (n, c) in (0..).zip(named) {
        assert_eq!(synthetic(n), c);
        assert!(IdentityNumber::parse(c).is_ok(), "{n}");
    }
    assert_eq!(named.iter().collect::<HashSet<_>>().len(), named.len());
    // Tenor-style: month + 80, born 1 January 1980.
    assert!(CITIZEN_A.starts_with("018180"), "{CITIZEN_A}");
}

#[test]
fn every_block_of_the_generator_has_its_eight_numbers() {
    // The last slot of a block exists only if all eight do: checked for
    // every block of the range, so no n falls through `slot_digit`.
    for block in 0..SYNTHETIC_CAPACITY / 8 {
        let d = super::synthetic::digits_of(block * 8 + 7);
        assert!(super::digits::check_digits_hold(&d), "block {block}");
    }
}

#[test]
fn the_generator_is_valid_and_distinct_across_its_range() {
    let mut seen = HashSet::new();
    for n in (0..SYNTHETIC_CAPACITY).step_by(97) {
        let s = synthetic(n);
        assert!(IdentityNumber::parse(&s).is_ok(), "{n}");
        assert!(seen.insert(s), "{n} repeats");
    }
    assert_eq!(synthetic(SYNTHETIC_CAPACITY), synthetic(0));
    assert_eq!(
        synthetic(u32::MAX),
        synthetic(u32::MAX % SYNTHETIC_CAPACITY)
    );
}

#[test]
fn the_first_numbers_are_distinct() {
    let first: HashSet<_> = (0..100_000).map(synthetic).collect();
    assert_eq!(first.len(), 100_000);
}

proptest! {
    #[test]
    fn generated_numbers_pass(n in any::<u32>()) {
        prop_assert!(IdentityNumber::parse(&synthetic(n)).is_ok());
    }

    #[test]
    fn changing_one_digit_fails(n in any::<u32>(), at in 0usize..11, by in 1u8..10) {
        let mut digits = synthetic(n).into_bytes();
        digits[at] = b'0' + (digits[at] - b'0' + by) % 10;
        let changed = String::from_utf8(digits).unwrap();
        prop_assert_eq!(
            IdentityNumber::parse(&changed),
            Err(IdentityNumberError::CheckDigits)
        );
    }

    #[test]
    fn never_panics_on_any_input(raw in "\\PC{0,16}|[0-9]{11}") {
        let _ = IdentityNumber::parse(&raw);
    }
}
