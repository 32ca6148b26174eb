use super::*;
use crate::params::InvalidParams;
use crate::policy::LoginHistoryAccess;
use crate::subject::SubjectId;

fn names(e: &InvalidParams) -> Vec<&str> {
    e.params().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn max_hits_defaults_and_bounds() {
    let access = || LoginHistoryAccess {
        subject: SubjectId::parse(crate::identity::CITIZEN_A).unwrap(),
        orgno: "991825827".parse().unwrap(),
    };
    assert_eq!(
        LoginHistoryQuery::build(access(), None).unwrap().max_hits,
        100
    );
    assert_eq!(
        LoginHistoryQuery::build(access(), Some("5"))
            .unwrap()
            .max_hits,
        5
    );
    assert_eq!(
        LoginHistoryQuery::build(access(), Some("1000"))
            .unwrap()
            .max_hits,
        1000
    );
    // Empty (`maxhits=` or a bare `maxhits`) is a mistake, not the default.
    for bad in ["0", "1001", "-1", "many", "5 ", ""] {
        let err = LoginHistoryQuery::build(access(), Some(bad)).unwrap_err();
        assert_eq!(names(&err), ["maxhits"], "{bad}");
    }
}
