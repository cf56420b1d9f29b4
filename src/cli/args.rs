//! A small command-line argument reader: options are taken by name, the
//! rest are positional, and anything left unread is an error.

/// Arguments of one subcommand.
pub struct Args {
    items: Vec<Option<String>>,
}

impl Args {
    /// Wraps the arguments after the subcommand name.
    pub fn new(args: &[String]) -> Self {
        Self {
            items: args.iter().cloned().map(Some).collect(),
        }
    }

    /// Takes a boolean flag such as `--json`.
    pub fn flag(&mut self, name: &str) -> bool {
        let hit = self.items.iter().position(|a| a.as_deref() == Some(name));
        if let Some(i) = hit {
            self.items[i] = None;
        }
        hit.is_some()
    }

    /// Takes `--name VALUE` (or `--name=VALUE`) parsed as `T`.
    pub fn value<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>, String> {
        let prefix = format!("{name}=");
        for i in 0..self.items.len() {
            let Some(a) = self.items[i].clone() else {
                continue;
            };
            let raw = if a == name {
                let v = self.items.get(i + 1).cloned().flatten();
                let v = v.ok_or_else(|| format!("option {name} needs a value"))?;
                self.items[i + 1] = None;
                v
            } else if let Some(v) = a.strip_prefix(&prefix) {
                v.to_string()
            } else {
                continue;
            };
            self.items[i] = None;
            return raw
                .parse::<T>()
                .map(Some)
                .map_err(|_| format!("option {name}: cannot read '{raw}'"));
        }
        Ok(None)
    }

    /// Takes the next positional argument.
    pub fn positional(&mut self) -> Option<String> {
        let i = self
            .items
            .iter()
            .position(|a| a.as_ref().is_some_and(|s| !s.starts_with("--")))?;
        self.items[i].take()
    }

    /// Fails on any argument nobody asked for.
    pub fn finish(self) -> Result<(), String> {
        let left: Vec<String> = self.items.into_iter().flatten().collect();
        if left.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected argument(s): {}", left.join(" ")))
        }
    }
}
