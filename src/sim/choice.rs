//! Choice parameters as enums: one declaration gives a choice its options,
//! their public names, its default and its parsing.
//!
//! A choice is declared once with [`choice!`](crate::sim::choice::choice):
//!
//! ```ignore
//! choice! {
//!     /// What the model counts.
//!     pub enum UpdateRule default IncidentCounts {
//!         /// Every recorded incident.
//!         IncidentCounts = "incident_counts",
//!         /// One unit per district and day with a find.
//!         OnePerFind = "one_per_find",
//!     }
//! }
//! ```
//!
//! The enum's variants, in order, are the options: the stored value of the
//! parameter is the variant's position, and the names come from the same
//! line as the variant, so the list and the enum cannot drift apart. The
//! table entry takes its kind, range and default from the enum
//! ([`ParamSpec::choice`](super::ParamSpec::choice)) and the world reads the
//! value back as the enum ([`ParamValues::choice`](super::ParamValues::choice)),
//! where an exhaustive `match` decides what each option does.

use std::fmt;

/// A parameter whose value is one of a fixed list of named options.
///
/// Implemented by [`choice!`](crate::sim::choice::choice); the stored value of
/// the parameter is [`Choice::index`].
pub trait Choice: Copy + Eq + fmt::Debug + 'static {
    /// Every option, in table order.
    const ALL: &'static [Self];
    /// The options' names as written in files and on the command line,
    /// aligned with [`Choice::ALL`] (public API).
    const NAMES: &'static [&'static str];
    /// The option a parameter takes by default.
    const DEFAULT: Self;
    /// Position of [`Choice::DEFAULT`] in [`Choice::ALL`] (tables are built in
    /// constant context, where [`Choice::index`] cannot be called).
    const DEFAULT_INDEX: usize;

    /// Position of this option in [`Choice::ALL`]: the stored value.
    fn index(self) -> usize;

    /// The option's public name.
    fn name(self) -> &'static str {
        Self::NAMES[self.index()]
    }

    /// The option at a position, if there is one.
    fn from_index(index: usize) -> Option<Self> {
        Self::ALL.get(index).copied()
    }

    /// The option with a public name, if there is one.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .and_then(Self::from_index)
    }
}

/// Declares a choice enum with its options' public names and its default,
/// and implements [`Choice`] for it (see the module documentation).
macro_rules! choice {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident default $default:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $crate::sim::choice::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];
            const DEFAULT: Self = $name::$default;
            const DEFAULT_INDEX: usize = $name::$default as usize;

            fn index(self) -> usize {
                self as usize
            }
        }
    };
}

pub(crate) use choice;

#[cfg(test)]
mod tests {
    use super::Choice;

    choice! {
        /// A test choice.
        enum Fruit default Pear {
            /// First.
            Apple = "apple",
            /// Second.
            Pear = "pear",
            /// Third.
            Plum = "plum",
        }
    }

    #[test]
    fn names_positions_and_default_come_from_one_declaration() {
        assert_eq!(Fruit::NAMES, ["apple", "pear", "plum"]);
        assert_eq!(Fruit::ALL, [Fruit::Apple, Fruit::Pear, Fruit::Plum]);
        assert_eq!(Fruit::DEFAULT, Fruit::Pear);
        assert_eq!(Fruit::DEFAULT_INDEX, 1);
        for (i, f) in Fruit::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
            assert_eq!(Fruit::from_index(i), Some(*f));
            assert_eq!(Fruit::from_name(f.name()), Some(*f));
        }
        assert_eq!(Fruit::from_index(3), None);
        assert_eq!(Fruit::from_name("fig"), None);
    }
}
