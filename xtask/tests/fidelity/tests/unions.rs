//! Untagged unions decode into the alternative the payload fits best, and
//! re-encode to what was received.

use fidelity::types::{Address, Amount, AppliedPreset, Pet};
use serde_json::{Value, json};

/// Decodes `json` as `T` and checks that encoding gives it back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: Value) -> T {
    let decoded: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json);
    decoded
}

#[test]
fn an_object_alternative_is_chosen_by_the_properties_it_knows() {
    // The first alternative has no required property and would accept any
    // object: the message must not be lost to it.
    let p: AppliedPreset = round_trip(json!({"message": "no objects"}));
    let AppliedPreset::NoAppliedObjects(n) = p else {
        panic!("{p:?}")
    };
    assert_eq!(n.message.as_deref(), Some("no objects"));
    let p: AppliedPreset = round_trip(json!({"object_type": "cdn", "object_ids": [1, 2]}));
    assert!(matches!(p, AppliedPreset::AppliedObjects(_)), "{p:?}");
    // An empty object fits both: the one with fewer properties of its own
    // is the closer fit.
    let p: AppliedPreset = round_trip(json!({}));
    assert!(matches!(p, AppliedPreset::NoAppliedObjects(_)), "{p:?}");
    // Properties of both, or unknown ones: kept as sent.
    for sent in [
        json!({"message": "m", "object_type": "cdn"}),
        json!({"message": "m", "extra": 1}),
        json!(5),
    ] {
        let p: AppliedPreset = round_trip(sent);
        assert!(matches!(p, AppliedPreset::Unknown(_)), "{p:?}");
    }
}

#[test]
fn required_properties_choose_between_alternatives() {
    let p: Pet = round_trip(json!({"meows": true}));
    assert!(matches!(p, Pet::Cat(_)), "{p:?}");
    let p: Pet = round_trip(json!({"barks": false}));
    assert!(matches!(p, Pet::Dog(_)), "{p:?}");
}

#[test]
fn whole_numbers_are_integers_and_other_numbers_floats() {
    let a: Amount = round_trip(json!(9007199254740993_i64));
    assert_eq!(a, Amount::Integer(9007199254740993));
    let a: Amount = round_trip(json!(2.5));
    assert_eq!(a, Amount::Number(2.5));
    let a: Amount = round_trip(json!("ten"));
    assert!(matches!(a, Amount::Unknown(_)), "{a:?}");
}

#[test]
fn scalar_alternatives_of_one_type_are_that_type() {
    let a: Address = round_trip(json!("10.0.0.0/8"));
    assert_eq!(a, "10.0.0.0/8");
}
