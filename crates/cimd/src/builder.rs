//! The document builder behind `cimd create`.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions;
#[derive(Debug, Clone)]
pub struct Created;
pub fn create(_o: &CreateOptions) -> Created { Created }
