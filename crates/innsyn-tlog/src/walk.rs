//! The walk from a node up to the root that both verifications of RFC 9162
//! (§2.1.3.2 and §2.1.4.2) share: `fnode` is the node's index on its level,
//! `snode` the last index on that level.

use crate::proof_error::VerifyError;

pub(crate) struct Walk {
    fnode: u64,
    snode: u64,
}

impl Walk {
    pub(crate) fn new(fnode: u64, snode: u64) -> Self {
        Self { fnode, snode }
    }

    /// Climbs while the node is a right child: the levels where the proof
    /// has nothing to add (the consistency proof's step 4).
    pub(crate) fn skip_right_children(&mut self) {
        while self.fnode & 1 == 1 {
            self.shift();
        }
    }

    /// One level up for the next proof hash. `true` when that hash is the
    /// left sibling, to be hashed as `HASH(0x01 || hash || node)`.
    pub(crate) fn step(&mut self) -> Result<bool, VerifyError> {
        if self.snode == 0 {
            return Err(VerifyError::ProofTooLong);
        }
        let sibling_is_left = self.fnode & 1 == 1 || self.fnode == self.snode;
        if sibling_is_left {
            // On the right edge a node has no sibling for some levels: the
            // next hash is the one past them.
            while self.fnode & 1 == 0 && self.fnode != 0 {
                self.shift();
            }
        }
        self.shift();
        Ok(sibling_is_left)
    }

    /// The proof ended: it must have reached the root.
    pub(crate) fn finish(&self) -> Result<(), VerifyError> {
        if self.snode != 0 {
            return Err(VerifyError::ProofTooShort);
        }
        Ok(())
    }

    fn shift(&mut self) {
        self.fnode >>= 1;
        self.snode >>= 1;
    }
}
