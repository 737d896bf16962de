#[cfg(test)]
mod tests {
    #[test]
    fn masks_keys() {
        assert_eq!(crate::mask("pk_live_abcdefghijklmnopqrstuvwxyz012345"), "pk_live_ab…45");
    }
}
