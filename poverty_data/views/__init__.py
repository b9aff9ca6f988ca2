"""Pages of the poverty registry: public wilayah pages (``wilayah``) and the Dinsos import (``registry``)."""
