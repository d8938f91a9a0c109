//! Objects that come from JavaScript as JSON text, read through `serde_json::Value` (which the core
//! links anyway) rather than a derived `Deserialize` per type: the same checks, a smaller `.wasm`.
//! Every error names the member, with the path the JavaScript caller knows (`response.status`).

use serde_json::{Map, Value};

/// A JSON object and the name it has for the caller.
pub(crate) struct Object<'a> {
    map: &'a Map<String, Value>,
    path: &'a str,
}

/// Parses JSON text that must hold an object.
pub(crate) fn parse(json: &str, path: &str) -> Result<Value, String> {
    // The core's parser, which gives serde_json's value (and a core test checks it does), so the
    // web `.wasm` leaves serde_json's deserializer out (~2.6 KB gzipped). No parser error text:
    // `js/api.js` passes `JSON.stringify` output.
    let value = crate::json_value(json).ok_or_else(|| format!("{path} is not JSON"))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(format!("{path} must be an object"))
    }
}

impl<'a> Object<'a> {
    /// `value` as an object that may hold only the members `known`.
    pub(crate) fn new(value: &'a Value, path: &'a str, known: &[&str]) -> Result<Self, String> {
        let map = value
            .as_object()
            .ok_or_else(|| format!("{path} must be an object"))?;
        if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!(
                "{path}: unknown member `{unknown}` (expected {})",
                known.join(", ")
            ));
        }
        Ok(Self { map, path })
    }

    /// A member that is present and not null.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, name: &str, what: &str) -> String {
        format!("{}.{name} must be {what}", self.path)
    }

    pub(crate) fn required<T>(&self, name: &str, value: Option<T>) -> Result<T, String> {
        value.ok_or_else(|| format!("{}.{name} is required", self.path))
    }

    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, String> {
        self.get(name)
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| self.wrong(name, "a string"))
            })
            .transpose()
    }

    pub(crate) fn uint(&self, name: &str) -> Result<Option<u64>, String> {
        self.get(name)
            .map(|v| v.as_u64().ok_or_else(|| self.wrong(name, "a whole number")))
            .transpose()
    }

    pub(crate) fn flag(&self, name: &str) -> Result<bool, String> {
        self.get(name).map_or(Ok(false), |v| {
            v.as_bool().ok_or_else(|| self.wrong(name, "a boolean"))
        })
    }

    pub(crate) fn array(&self, name: &str) -> Result<Option<&'a Vec<Value>>, String> {
        self.get(name)
            .map(|v| v.as_array().ok_or_else(|| self.wrong(name, "an array")))
            .transpose()
    }

    /// An array of strings.
    pub(crate) fn strings(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        self.array(name)?
            .map(|items| {
                items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| self.wrong(name, "an array of strings"))
                    })
                    .collect()
            })
            .transpose()
    }
}
