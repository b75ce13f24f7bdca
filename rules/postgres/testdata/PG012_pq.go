package notify

import (
	"database/sql"
	"database/sql/driver"

	"github.com/lib/pq"
)

// Quiet (lib/pq notify_test.go): the connector hands notifications to a handler.
func notifyWithHandler(c driver.Connector, seen func(*pq.Notification)) error {
	db := sql.OpenDB(pq.ConnectorWithNotificationHandler(c, seen))
	defer db.Close()
	_, err := db.Exec("LISTEN foo; NOTIFY foo, 'hello'")
	return err
}
